package io.gitcrq.execagent.service;

import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.domain.ExecEnded;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Recording;
import io.gitcrq.execagent.recording.Recordings;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.audit.ExecEnd;
import io.gitcrq.model.audit.ExecEnd.WorkflowStepOf;
import io.gitcrq.model.audit.ExecFailed;
import io.gitcrq.model.event.ExecFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * The end of an exec: its row and the events announcing it change in one transaction, so an exec is
 * reported FINISHED if and only if ExecFinished and its audit record are published. Before that, its output
 * is settled: secrets masked in the log, the recording made ({@link Recordings}); the audit record names
 * the log and the recording with their digests.
 */
@ApplicationScoped
public class ExecCompletion {

    private static final Logger LOG = Logger.getLogger(ExecCompletion.class);

    private final ExecRepository execs;
    private final Outbox outbox;
    private final Recordings recordings;
    private final Redactor redactor;
    private final Event<ExecEnded> ended;

    public ExecCompletion(
            ExecRepository execs, Outbox outbox, Recordings recordings, Redactor redactor, Event<ExecEnded> ended) {
        this.execs = execs;
        this.outbox = outbox;
        this.recordings = recordings;
        this.redactor = redactor;
        this.ended = ended;
    }

    /** The command exited with {@code exitCode}; an exec already ended is left as it is. */
    @Transactional
    public void finished(String execId, int exitCode, Instant endedAt) {
        finished(execId, exitCode, endedAt, null);
    }

    /**
     * The command exited with {@code exitCode}, after the agent killed it if {@code stoppedBy} says so
     * ({@link ExecWatcher#TIMEOUT}, {@link ExecWatcher#CANCEL}); an exec already ended is left as it is.
     */
    @Transactional
    public void finished(String execId, int exitCode, Instant endedAt, String stoppedBy) {
        ManagedExec exec = execs.lockedById(execId)
                .filter(e -> e.status == ExecStatus.RUNNING)
                .orElse(null);
        if (exec == null) {
            return;
        }
        exec.status = ExecStatus.FINISHED;
        exec.exitCode = exitCode;
        exec.endedAt = endedAt.truncatedTo(ChronoUnit.MICROS);
        String cancelled = ExecCancellation.cancelNote(exec, stoppedBy);
        exec.stoppedBy = stoppedBy;
        if (ExecWatcher.TIMEOUT.equals(stoppedBy)) {
            exec.reason = "killed: ran longer than its timeout of " + duration(exec.timeoutMs);
        } else if (stoppedBy != null) {
            exec.reason = "killed: " + (cancelled == null ? stoppedBy : cancelled);
        } else if (ExecCancellation.cancelNote(exec, ExecWatcher.CANCEL) != null) {
            exec.reason = "ended by itself before it could be stopped (" + exec.reason + ")";
        }
        settleOutput(exec);
        // A command the agent killed says why (and, cancelled, who asked); one that ended by itself has no reason.
        outbox.publish(new ExecFinished(
                exec.execId,
                exec.host,
                exec.crqId,
                exec.session,
                exec.pane,
                exitCode,
                exec.startedAt,
                exec.endedAt,
                exec.logPath,
                exec.outputSha256,
                ExecFinished.FINISHED,
                exec.reason == null ? null : redactor.mask(exec.reason)));
        outbox.publish(AuditEvents.captured(
                exec.host,
                exec.crqId,
                exec.endedAt,
                new ExecEnd(
                        exec.execId,
                        redactor.mask(exec.command),
                        exec.cwd,
                        exec.session,
                        exec.pane,
                        exec.branch,
                        exec.requestedBy,
                        exec.startedAt,
                        exec.endedAt,
                        exec.logPath,
                        exec.outputSha256,
                        exec.recordingPath,
                        exec.recordingSha256,
                        exec.timeoutMs,
                        exec.stoppedBy,
                        workflowStep(exec),
                        exec.profile,
                        exitCode,
                        redactor.mask(exec.reason))));
        ended.fire(ExecEnded.of(exec));
        LOG.infof("exec %s in %s:%s for %s exited with %d", execId, exec.session, exec.pane, exec.crqId, exitCode);
    }

    /**
     * The exit status will never be known (tmux refused to start it, the pane went away, the agent restarted before
     * it started): FAILED with the reason, announced by ExecFinished (status FAILED, no exit code) and audited as
     * such, since the command may have run in part.
     */
    @Transactional
    public void failed(String execId, String reason) {
        failed(execId, reason, null);
    }

    /** As {@link #failed(String, String)}, for an exec stopped ({@code stoppedBy}) before it could start. */
    @Transactional
    public void failed(String execId, String reason, String stoppedBy) {
        ManagedExec exec = execs.lockedById(execId)
                .filter(e -> e.status == ExecStatus.RUNNING)
                .orElse(null);
        if (exec == null) {
            return;
        }
        String cancelled = ExecCancellation.cancelNote(exec, stoppedBy);
        exec.status = ExecStatus.FAILED;
        exec.reason = cancelled == null ? reason : reason + ": " + cancelled;
        exec.stoppedBy = stoppedBy;
        exec.endedAt = SqlTimes.now();
        settleOutput(exec);
        // Consumers of exec events see every accepted exec end, those without an exit status too.
        outbox.publish(new ExecFinished(
                exec.execId,
                exec.host,
                exec.crqId,
                exec.session,
                exec.pane,
                ExecFinished.NO_EXIT_CODE,
                exec.startedAt,
                exec.endedAt,
                exec.logPath,
                exec.outputSha256,
                ExecFinished.FAILED,
                redactor.mask(exec.reason)));
        outbox.publish(AuditEvents.captured(
                exec.host,
                exec.crqId,
                exec.endedAt,
                new ExecFailed(
                        exec.execId,
                        redactor.mask(exec.command),
                        exec.cwd,
                        exec.session,
                        exec.pane,
                        exec.branch,
                        exec.requestedBy,
                        exec.startedAt,
                        exec.endedAt,
                        exec.logPath,
                        exec.outputSha256,
                        exec.recordingPath,
                        exec.recordingSha256,
                        exec.timeoutMs,
                        exec.stoppedBy,
                        workflowStep(exec),
                        exec.profile,
                        redactor.mask(exec.reason))));
        ended.fire(ExecEnded.of(exec));
        LOG.warnf(
                "exec %s in %s:%s for %s failed: %s",
                execId, exec.session, exec.pane, exec.crqId, redactor.mask(reason));
    }

    /**
     * Masks the log's secrets, then takes its digest, and makes the recording. A failure to mask or record is
     * logged, never fatal: the exec has ended, and its end is published all the same (with what there is).
     */
    private void settleOutput(ManagedExec exec) {
        Path log = Path.of(exec.logPath);
        try {
            if (exec.profile != null) {
                recordings.logFromRecording(exec);
            }
            redactor.maskFile(log);
        } catch (Exception e) {
            LOG.errorf(e, "cannot mask secrets in the log of exec %s (%s)", exec.execId, log);
        }
        exec.outputSha256 = Recordings.sha256(log);
        try {
            Recording recording = recordings.finish(exec).orElse(null);
            exec.recordingPath = recording == null ? null : recording.path().toString();
            exec.recordingSha256 = recording == null ? null : recording.sha256();
        } catch (Exception e) {
            LOG.errorf(e, "cannot make the recording of exec %s", exec.execId);
        }
    }

    /** The workflow step an exec ran as (its name masked), or null for an exec of no workflow. */
    private WorkflowStepOf workflowStep(ManagedExec exec) {
        return exec.workflowRunId == null
                ? null
                : new WorkflowStepOf(exec.workflowRunId, redactor.mask(exec.workflowStep));
    }

    /** A timeout in milliseconds as people read it: {@code 1.2 s}, {@code 6 min}. */
    static String duration(Long millis) {
        if (millis == null) {
            return "?";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }
}
