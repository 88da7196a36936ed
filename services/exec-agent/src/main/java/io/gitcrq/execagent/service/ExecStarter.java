package io.gitcrq.execagent.service;

import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.audit.AuditPlan;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqView;
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
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.idempotency.IdempotencyKeys;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.audit.ExecRefused;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Accepts commands to run: records each as RUNNING, one per pane, and has it started once that row is
 * committed ({@link ExecRunner}). Every refusal — a user without an allowed role, a malformed request, a CRQ unknown
 * here or no longer open ({@link CrqGate}), a command the host policy ({@link HostPolicy}) does not let run, a busy
 * pane, a request from Kafka without a valid exec grant ({@link ExecGrants}) — is recorded and audited.
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
    private final CrqGate crqs;
    private final CrqWorkspaces workspaces;
    private final IdempotencyKeys requestKeys;

    /** What {@link #start(ExecOrder, IdempotencyKey)} did: started {@code exec}, or found the one an earlier try started. */
    public record Started(ManagedExec exec, boolean repeat) {}

    public ExecStarter(
            ExecRepository execs,
            ExecGrants grants,
            HostPolicy hostPolicy,
            ExecAgentConfig config,
            Outbox outbox,
            Event<ExecAccepted> accepted,
            Redactor redactor,
            AuditPlan auditPlan,
            CrqGate crqs,
            CrqWorkspaces workspaces,
            IdempotencyKeys requestKeys) {
        this.execs = execs;
        this.grants = grants;
        this.hostPolicy = hostPolicy;
        this.config = config;
        this.outbox = outbox;
        this.accepted = accepted;
        this.redactor = redactor;
        this.auditPlan = auditPlan;
        this.crqs = crqs;
        this.workspaces = workspaces;
        this.requestKeys = requestKeys;
    }

    /**
     * A REST request, a workflow step or a launch's tool: a command the host policy refuses is a 403, recorded and
     * audited (the refusal is committed, the caller still gets the error); a busy pane is a 409, recorded too. A plain
     * exec (neither a workflow step nor a launch) runs only for a CRQ known here and open ({@link CrqGate}: 404, 409),
     * and, when it names no working directory, in the CRQ's worktree ({@link CrqWorkspaces}) or else the host's
     * default directory.
     */
    @Transactional(dontRollbackOn = DomainException.class)
    public ManagedExec start(ExecOrder order) {
        ExecOrder admitted;
        try {
            admitted = admit(order);
        } catch (DomainException refused) {
            refuse(refused(order), refused.getMessage());
            throw refused;
        }
        HostPolicy.Decision decision = hostPolicy.decide(admitted);
        if (decision.refused()) {
            refuse(refused(admitted), decision.refusal());
            throw new NotPermittedException(decision.refusal());
        }
        if (!place(admitted)) {
            String busy = busy(admitted);
            refuse(refused(admitted), busy);
            throw new ConflictException(busy);
        }
        return execs.byId(admitted.execId()).orElseThrow();
    }

    /**
     * {@link #start(ExecOrder)} once per idempotency key of the requesting user: a repeat of an earlier request (its
     * answer lost, say) gets the exec that request started, however it has ended since; the key sent with another
     * request is a 400. A refused request keeps no key: its repeat is judged afresh.
     */
    @Transactional(dontRollbackOn = DomainException.class)
    public Started start(ExecOrder order, IdempotencyKey key) {
        if (key == null) {
            return new Started(start(order), false);
        }
        Optional<String> earlier = requestKeys.claim(order.requestedBy(), key, SqlTimes.now());
        if (earlier.isPresent()) {
            LOG.infof("a repeated request of %s: exec %s", order.requestedBy(), earlier.get());
            return new Started(execs.byId(earlier.get()).orElseThrow(), true);
        }
        try {
            ManagedExec exec = start(order);
            requestKeys.bind(order.requestedBy(), key, exec.execId);
            return new Started(exec, false);
        } catch (DomainException refused) {
            requestKeys.release(order.requestedBy(), key);
            throw refused;
        }
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
            order = admit(ExecOrder.validate(
                            request.execId(),
                            request.host(),
                            request.session(),
                            request.pane(),
                            request.command(),
                            request.crqId(),
                            request.branch(),
                            request.cwd(),
                            request.requestedBy(),
                            null)
                    .withAudit(auditPlan.select(request.audit(), request.auditPaths())));
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
     * A plain exec's CRQ must be known here and open, and an order without a working directory gets one: the CRQ's
     * worktree, else the host's default. A launch checked its CRQ as it was planned ({@code LaunchPlanner}), a workflow
     * run as it started ({@code WorkflowRuns}): its steps run to its end.
     */
    private ExecOrder admit(ExecOrder order) {
        if (order.workflow() != null || order.launch() != null) {
            return order;
        }
        CrqView crq = crqs.admit(order.crqId());
        if (order.cwd() != null) {
            return order;
        }
        Path directory = workspaces.worktree(crq, order.branch()).orElse(null);
        if (directory == null) {
            directory = Path.of(config.defaultCwd());
            LOG.infof(
                    "exec %s runs in %s: the repository of %s (%s) is not a project of %s",
                    order.execId(), directory, crq.crqId, crq.repo, config.host());
        }
        return order.in(directory);
    }

    /**
     * Notes that an accepted exec is being handed to tmux (what tells a restart that it may have started); false when
     * it ended meanwhile, and then it must not start.
     */
    @Transactional
    public boolean launching(String execId) {
        return execs.markLaunched(execId, SqlTimes.now());
    }

    /**
     * A request that was refused (its user holds no allowed role, it is malformed, its CRQ is unknown or closed, the
     * policy or a busy pane refuses it): recorded as a FAILED exec and audited. The audit record is the CRQ's when
     * this host knows that CRQ, else the host's own ({@code crqId} null: a request naming no CRQ, or one nobody
     * created); its payload names the CRQ the request named either way. What cannot be stored (NUL) is shown as ␀.
     */
    @Transactional
    public void refuse(NewExec exec, String reason) {
        String why = storable(reason);
        LOG.warnf("refused exec %s requested by %s: %s", exec.execId(), exec.requestedBy(), redactor.mask(why));
        String crqId = storable(exec.crqId());
        // A request refused before validation may lack what an exec row needs: recorded with what it had.
        execs.insertRefused(
                new NewExec(
                        exec.execId(),
                        exec.host(),
                        orEmpty(storable(exec.session())),
                        orEmpty(storable(exec.pane())),
                        orEmpty(storable(redactor.mask(exec.command()))),
                        orEmpty(crqId),
                        storable(exec.branch()),
                        storable(exec.cwd()),
                        orEmpty(storable(exec.requestedBy())),
                        null,
                        exec.startedAt()),
                "refused: " + redactor.mask(why));
        String trail = crqs.known(crqId).map(c -> c.crqId).orElse(null);
        outbox.publish(AuditEvents.captured(
                config.host(),
                trail,
                exec.startedAt(),
                new ExecRefused(
                        exec.execId(),
                        storable(exec.requestedBy()),
                        redactor.mask(storable(exec.command())),
                        storable(exec.session()),
                        storable(exec.pane()),
                        redactor.mask(why),
                        crqId)));
    }

    /** NUL cannot be stored in PostgreSQL's text nor JSON: shown as ␀ in what is recorded of a refused request. */
    private static String storable(String value) {
        return value == null ? null : value.replace('\0', '\u2400');
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
                order.cwd() == null ? null : order.cwd().toString(),
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
                redactor.mask(order.command()), // the row, like everything the agent keeps, holds no secret
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
                        : order.launch().recordingsDir().toString(),
                order.keepPane()));
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
