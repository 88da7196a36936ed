package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Recordings;
import io.gitcrq.execagent.repository.ExecAuditRepository;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.execagent.tmux.PaneProcess;
import io.gitcrq.execagent.tmux.TmuxException;
import io.gitcrq.execagent.tmux.TmuxPanes;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * After a restart, settles the execs the previous run left RUNNING, in the order they were accepted:
 * <ul>
 *   <li>one whose exit file is there has finished, and is announced now;</li>
 *   <li>one accepted but never handed to tmux ({@code launched_at} empty) never ran: it ends FAILED, "not started:
 *   agent restarted", with its ExecFinished. It is not started late: what it was asked with is not all kept (a launch's
 *   credentials, a workflow step's variables, the audit sources asked for), and a command that starts long after it
 *   was asked for surprises whoever asked; they see the end and can ask again;</li>
 *   <li>one whose pane still runs its wrapper is watched again to its real end (its exit file), with what is left of
 *   its timeout; its pane stays busy meanwhile (a new exec for it is refused);</li>
 *   <li>one whose pane is gone, or runs something else, without an exit file will never report one: FAILED, with
 *   its ExecFinished.</li>
 * </ul>
 * While the agent runs, an exec can also be left behind without a restart: the database connection lost as its
 * acceptance committed (the row is there, the caller got a 503, and nothing launches it), or as its launch was recorded
 * (the launcher then failed before the watch began). Every 30 s, an exec accepted or launched more than
 * {@link #UNCONFIRMED_AFTER} ago that this run of the agent neither has waiting to launch nor watches is settled: never
 * launched, FAILED "not started"; launched, as after a restart (its exit status, watched again, or FAILED), with its
 * ExecFinished.
 */
@ApplicationScoped
public class ExecRecovery {

    static final String NOT_STARTED = "not started: agent restarted";
    static final String NOT_CONFIRMED =
            "not started: the database connection was lost as the exec was accepted, so it was never launched; ask again";
    static final String LOST_TRACK = "the agent lost track of it as it was launched (its database failed then); its"
            + " pane does not run it and it left no exit status";
    static final String SOURCES_LOST_TRACK = "the agent lost track of the exec as it was launched";
    /** How old an exec that never launched must be before it counts as left behind (launching takes milliseconds). */
    static final Duration UNCONFIRMED_AFTER = Duration.ofSeconds(30);

    static final String LOST =
            "exec-agent restarted while the command ran; its pane no longer runs it and it left no exit status";
    static final String SOURCES_LOST = "exec-agent restarted while the command ran: the source stopped with it";
    private static final Logger LOG = Logger.getLogger(ExecRecovery.class);

    private final ExecRepository execs;
    private final ExecCompletion completion;
    private final ExecAgentConfig config;
    private final Recordings recordings;
    private final ExecAuditRepository audits;
    private final TmuxPanes panes;
    private final ExecWatcher watcher;
    private final ExecRunner runner;

    public ExecRecovery(
            ExecRepository execs,
            ExecCompletion completion,
            ExecAgentConfig config,
            Recordings recordings,
            ExecAuditRepository audits,
            TmuxPanes panes,
            ExecWatcher watcher,
            ExecRunner runner) {
        this.execs = execs;
        this.completion = completion;
        this.config = config;
        this.recordings = recordings;
        this.audits = audits;
        this.panes = panes;
        this.watcher = watcher;
        this.runner = runner;
    }

    /** After the database is migrated, before requests are consumed or served. */
    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) {
        recover();
    }

    public void recover() {
        for (ManagedExec exec : runningExecs()) {
            // Execs of this run of the agent (a recovery asked for again) are its own to settle.
            if (runner.pending(exec.execId) || watcher.watching(exec.execId)) {
                continue;
            }
            try {
                recover(exec);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot settle exec %s after the restart", exec.execId);
            }
        }
    }

    /** Settles the execs this run of the agent lost track of (see the class comment). */
    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void settleUnconfirmed() {
        Instant before = Instant.now().minus(UNCONFIRMED_AFTER);
        try {
            for (ManagedExec exec : runningExecs()) {
                if (runner.pending(exec.execId) || watcher.watching(exec.execId)) {
                    continue;
                }
                if (exec.launchedAt == null && exec.startedAt.isBefore(before)) {
                    LOG.warnf("exec %s was accepted but never launched: %s", exec.execId, NOT_CONFIRMED);
                    discardSecrets(exec, recordings.files(exec));
                    completion.failed(exec.execId, NOT_CONFIRMED);
                } else if (exec.launchedAt != null && exec.launchedAt.isBefore(before)) {
                    // Its launch was recorded, then the launcher failed (the database with it) before the watch.
                    settleLaunched(exec, LOST_TRACK, SOURCES_LOST_TRACK);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot look for execs left behind now (tried again in 30 s): %s", e.toString());
        }
    }

    private void recover(ManagedExec exec) {
        if (exec.launchedAt == null) {
            ManagedCommand command = recordings.files(exec);
            settleAuditSources(exec.execId, command, SOURCES_LOST);
            if (!finishedAlready(exec, command)) {
                discardSecrets(exec, command);
                completion.failed(exec.execId, NOT_STARTED);
            }
            return;
        }
        settleLaunched(exec, LOST, SOURCES_LOST);
    }

    /**
     * A launched exec nobody watches: its exit status if it left one, watched again if its pane still runs it, else
     * FAILED with {@code lost}.
     */
    private void settleLaunched(ManagedExec exec, String lost, String sourcesLost) {
        ManagedCommand command = recordings.files(exec);
        settleAuditSources(exec.execId, command, sourcesLost);
        if (finishedAlready(exec, command)) {
            return;
        }
        Optional<PaneProcess> pane = runningPane(exec, command);
        if (pane.isPresent()) {
            watcher.watch(exec.execId, command, pane.get().pid(), timeLeft(exec));
            LOG.infof(
                    "exec %s still runs in %s:%s (tmux pane %s): watched again",
                    exec.execId, exec.session, exec.pane, pane.get().paneId());
            return;
        }
        // Gone: look once more, in case the status was written just before the pane's program ended.
        if (!finishedAlready(exec, command)) {
            discardSecrets(exec, command);
            completion.failed(exec.execId, lost);
        }
    }

    private boolean finishedAlready(ManagedExec exec, ManagedCommand command) {
        try {
            OptionalInt exitCode = command.exitCode();
            if (exitCode.isPresent()) {
                discardSecrets(exec, command);
                completion.finished(exec.execId, exitCode.getAsInt(), command.endedAt());
                return true;
            }
        } catch (IOException e) {
            LOG.warnf(e, "cannot read the exit status of exec %s", exec.execId);
        }
        return false;
    }

    private Optional<PaneProcess> runningPane(ManagedExec exec, ManagedCommand command) {
        try {
            return panes.runningWrapper(
                    exec.session, exec.pane, command.wrapperScript().toString());
        } catch (TmuxException e) {
            LOG.warnf(e, "cannot ask tmux about the pane of exec %s", exec.execId);
            return Optional.empty();
        }
    }

    /** What is left of the exec's timeout, counted from its launch (null: none). */
    private static Duration timeLeft(ManagedExec exec) {
        if (exec.timeoutMs == null) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), exec.launchedAt.plusMillis(exec.timeoutMs));
        return left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left;
    }

    /** A run that started has read its credentials already; one that will not start must not leave them behind. */
    private static void discardSecrets(ManagedExec exec, ManagedCommand command) {
        try {
            command.discardSecrets();
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove the credentials file of exec %s", exec.execId);
        }
    }

    /**
     * The exec's audit sources stopped with the previous run of the agent: what they captured before was published;
     * their state says they were cut short, and a trace nobody reads any more (it holds unmasked arguments) goes.
     */
    @Transactional
    void settleAuditSources(String execId, ManagedCommand command, String reason) {
        audits.interrupted(execId, reason);
        try {
            Files.deleteIfExists(command.traceFile());
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove the trace of exec %s", execId);
        }
    }

    @Transactional
    List<ManagedExec> runningExecs() {
        return execs.running(config.host());
    }
}
