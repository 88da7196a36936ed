package io.gitcrq.execagent.service;

import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.audit.AuditPlan;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.repository.ExecRepository.NewExec;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.audit.ExecRefused;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Accepts commands to run: records each as RUNNING, one per pane, and has it started once that row is
 * committed ({@link ExecRunner}). Every refusal — a user without an allowed role, a command the host policy
 * ({@link HostPolicy}) does not let run, a request from Kafka without a valid exec grant ({@link ExecGrants}) or that
 * cannot run — is recorded and audited.
 */
@ApplicationScoped
public class ExecStarter {

    private static final Logger LOG = Logger.getLogger(ExecStarter.class);

    private final ExecRepository execs;
    private final ExecGrants grants;
    private final HostPolicy hostPolicy;
    private final ExecAgentConfig config;
    private final Outbox outbox;
    private final Event<ExecAccepted> accepted;
    private final Redactor redactor;
    private final AuditPlan auditPlan;

    public ExecStarter(
            ExecRepository execs,
            ExecGrants grants,
            HostPolicy hostPolicy,
            ExecAgentConfig config,
            Outbox outbox,
            Event<ExecAccepted> accepted,
            Redactor redactor,
            AuditPlan auditPlan) {
        this.execs = execs;
        this.grants = grants;
        this.hostPolicy = hostPolicy;
        this.config = config;
        this.outbox = outbox;
        this.accepted = accepted;
        this.redactor = redactor;
        this.auditPlan = auditPlan;
    }

    /**
     * A REST request (or a workflow step): a command the host policy refuses is a 403, recorded and audited (the
     * refusal is committed, the caller still gets the error); a busy pane is a 409.
     */
    @Transactional(dontRollbackOn = DomainException.class)
    public ManagedExec start(ExecOrder order) {
        HostPolicy.Decision decision = hostPolicy.decide(order);
        if (decision.refused()) {
            refuse(refused(order), decision.refusal());
            throw new NotPermittedException(decision.refusal());
        }
        if (!place(order)) {
            throw new ConflictException(busy(order));
        }
        return execs.byId(order.execId()).orElseThrow();
    }

    /**
     * A request from Kafka, in the consumer's transaction. Requests for other hosts are another agent's;
     * one whose id cannot name a log file is malformed (dead-lettered); any other problem is a refusal.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requested(ExecRequested request) {
        if (!config.host().equals(request.host())) {
            return;
        }
        if (!ExecOrder.isValidExecId(request.execId())) {
            throw new MalformedEventException("execId '" + request.execId() + "' is not a valid exec id");
        }
        if (execs.byId(request.execId()).isPresent()) {
            LOG.infof("exec %s is already known; request ignored", request.execId());
            return;
        }
        // Only a request someone vouched for runs: its grant names the user and the roles (see ExecGrants).
        String unproven = grants.refusal(request);
        if (unproven != null) {
            refuse(refused(request), unproven);
            return;
        }
        ExecOrder order;
        try {
            order = ExecOrder.validate(
                            request.execId(),
                            request.host(),
                            request.session(),
                            request.pane(),
                            request.command(),
                            request.crqId(),
                            request.branch(),
                            request.cwd(),
                            request.requestedBy(),
                            config.defaultCwd())
                    .withAudit(auditPlan.select(request.audit(), request.auditPaths()));
        } catch (DomainException invalid) {
            refuse(refused(request), invalid.getMessage());
            return;
        }
        HostPolicy.Decision decision = hostPolicy.decide(order);
        if (decision.refused()) {
            refuse(refused(request), decision.refusal());
            return;
        }
        if (!place(order)) {
            refuse(refused(request), busy(order));
        }
    }

    /**
     * Notes that an accepted exec is being handed to tmux (what tells a restart that it may have started); false when
     * it ended meanwhile, and then it must not start.
     */
    @Transactional
    public boolean launching(String execId) {
        return execs.markLaunched(execId, SqlTimes.now());
    }

    /** A request that was refused before it became an order (e.g. its user holds no allowed role): audited. */
    @Transactional
    public void refuse(NewExec exec, String reason) {
        LOG.warnf("refused exec %s requested by %s: %s", exec.execId(), exec.requestedBy(), redactor.mask(reason));
        // A request refused before validation may lack what an exec row needs: recorded with what it had.
        execs.insertRefused(
                new NewExec(
                        exec.execId(),
                        exec.host(),
                        orEmpty(exec.session()),
                        orEmpty(exec.pane()),
                        orEmpty(exec.command()),
                        orEmpty(exec.crqId()),
                        exec.branch(),
                        exec.cwd(),
                        orEmpty(exec.requestedBy()),
                        null,
                        exec.startedAt()),
                "refused: " + reason);
        outbox.publish(AuditEvents.captured(
                config.host(),
                exec.crqId(),
                exec.startedAt(),
                new ExecRefused(
                        exec.execId(),
                        exec.requestedBy(),
                        redactor.mask(exec.command()),
                        exec.session(),
                        exec.pane(),
                        redactor.mask(reason))));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static NewExec refused(ExecRequested request) {
        return new NewExec(
                request.execId(),
                request.host(),
                request.session(),
                request.pane(),
                request.command(),
                request.crqId(),
                request.branch(),
                request.cwd(),
                request.requestedBy(),
                null,
                SqlTimes.now());
    }

    private static NewExec refused(ExecOrder order) {
        return new NewExec(
                order.execId(),
                order.host(),
                order.session(),
                order.pane(),
                order.command(),
                order.crqId(),
                order.branch(),
                order.cwd().toString(),
                order.requestedBy(),
                null,
                SqlTimes.now());
    }

    private boolean place(ExecOrder order) {
        String logPath = ManagedCommand.in(order.logDirectory(config.logDirectory()), order.execId())
                .logFile()
                .toString();
        boolean placed = execs.insertRunning(new NewExec(
                order.execId(),
                order.host(),
                order.session(),
                order.pane(),
                order.command(),
                order.crqId(),
                order.branch(),
                order.cwd().toString(),
                order.requestedBy(),
                logPath,
                SqlTimes.now(),
                order.timeout() == null ? null : order.timeout().toMillis(),
                order.workflow() == null ? null : order.workflow().runId(),
                order.workflow() == null ? null : order.workflow().step(),
                order.launch() == null ? null : order.launch().profile(),
                order.launch() == null || order.launch().recordingsDir() == null
                        ? null
                        : order.launch().recordingsDir().toString()));
        if (placed) {
            accepted.fire(new ExecAccepted(order));
        }
        return placed;
    }

    private String busy(ExecOrder order) {
        String running = execs.runningIn(order.host(), order.session(), order.pane())
                .map(e -> e.execId)
                .orElse("?");
        return "pane " + order.session() + ":" + order.pane() + " on " + order.host() + " is still running exec "
                + running;
    }
}
