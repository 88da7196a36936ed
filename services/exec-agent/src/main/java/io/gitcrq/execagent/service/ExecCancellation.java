package io.gitcrq.execagent.service;

import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.audit.ExecCancelRequested;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * {@code gitcrq exec cancel}: a running exec's command is stopped as a cancelled workflow step's is
 * ({@link ExecWatcher#stop}: SIGTERM to its process tree in the pane, SIGKILL after the grace); one not started yet
 * never starts. It then ends as every exec does, through {@link ExecCompletion}: FINISHED with the command's exit
 * status (or FAILED when it never started), {@code stoppedBy} {@value ExecWatcher#CANCEL}, and a reason naming who
 * cancelled it, in its row, its ExecFinished and its audit record.
 * <p>
 * Who may: the user who asked for the exec, or a holder of one of {@link #MAY_CANCEL_ANY}. Every request for a known
 * exec is audited as {@code exec-cancel}, accepted or refused.
 */
@ApplicationScoped
public class ExecCancellation {

    /** Roles that may cancel any user's exec. */
    public static final Set<String> MAY_CANCEL_ANY = Set.of("approver", "admin");
    /** How the reason of a cancelled exec starts, before the user's name. */
    static final String CANCELLED_BY = "cancelled by ";

    private static final Logger LOG = Logger.getLogger(ExecCancellation.class);

    private final ExecRepository execs;
    private final ExecWatcher watcher;
    private final Outbox outbox;
    private final Redactor redactor;

    public ExecCancellation(ExecRepository execs, ExecWatcher watcher, Outbox outbox, Redactor redactor) {
        this.execs = execs;
        this.watcher = watcher;
        this.outbox = outbox;
        this.redactor = redactor;
    }

    /**
     * Notes who cancelled the exec, then stops its command; returns the exec as it is (still RUNNING until the
     * watcher sees the command end). 404 unknown, 403 neither its requester nor a holder of {@link #MAY_CANCEL_ANY},
     * 409 ended already. Each request for a known exec is audited ({@code exec-cancel}), a refused one too.
     */
    public ManagedExec cancel(String execId, String user, Set<String> roles) {
        Decision decision = QuarkusTransaction.requiringNew().call(() -> decide(execId, user, roles));
        if (decision.refusal() != null) {
            throw decision.refusal();
        }
        LOG.infof("exec %s cancelled by %s: stopping its command", execId, user);
        watcher.stop(execId, ExecWatcher.CANCEL);
        return decision.exec();
    }

    private record Decision(ManagedExec exec, RuntimeException refusal) {}

    /** In one transaction: the refusal, or the note of who cancelled; audited either way. */
    private Decision decide(String execId, String user, Set<String> roles) {
        ManagedExec exec = execs.lockedById(execId).orElseThrow(() -> new EntityNotFoundException("no exec " + execId));
        RuntimeException refusal = null;
        if (!user.equals(exec.requestedBy) && roles.stream().noneMatch(MAY_CANCEL_ANY::contains)) {
            refusal = new NotPermittedException("only " + exec.requestedBy + ", who asked for exec " + execId
                    + ", or a holder of a role of " + new TreeSet<>(MAY_CANCEL_ANY) + " may cancel it");
        } else if (exec.status != ExecStatus.RUNNING) {
            refusal = new ConflictException("exec " + execId + " has ended already (" + exec.status + ")");
        } else if (exec.reason == null || !exec.reason.startsWith(CANCELLED_BY)) {
            exec.reason = CANCELLED_BY + user;
        }
        audit(exec, user, refusal);
        return new Decision(exec, refusal);
    }

    private void audit(ManagedExec exec, String user, RuntimeException refusal) {
        if (exec.crqId == null || exec.crqId.isBlank()) {
            return; // a request refused before it named a CRQ: its exec-refused record is all there is
        }
        Instant at = SqlTimes.now();
        outbox.publish(AuditEvents.captured(
                exec.host,
                exec.crqId,
                at,
                new ExecCancelRequested(
                        exec.execId,
                        redactor.mask(exec.command),
                        exec.session,
                        exec.pane,
                        exec.requestedBy,
                        user,
                        refusal == null,
                        refusal == null ? null : redactor.mask(refusal.getMessage()),
                        at)));
    }

    /** Who cancelled the exec, as {@link #cancel} noted in its reason, or null. */
    static String cancelNote(ManagedExec exec, String stoppedBy) {
        return ExecWatcher.CANCEL.equals(stoppedBy) && exec.reason != null && exec.reason.startsWith(CANCELLED_BY)
                ? exec.reason
                : null;
    }
}
