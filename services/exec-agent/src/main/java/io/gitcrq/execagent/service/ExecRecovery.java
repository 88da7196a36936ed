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
 */
@ApplicationScoped
public class ExecRecovery {

    static final String NOT_STARTED = "not started: agent restarted";
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

    private void recover(ManagedExec exec) {
        ManagedCommand command = recordings.files(exec);
        settleAuditSources(exec.execId, command);
        if (finishedAlready(exec, command)) {
            return;
        }
        if (exec.launchedAt == null) {
            discardSecrets(exec, command);
            completion.failed(exec.execId, NOT_STARTED);
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
            completion.failed(exec.execId, LOST);
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
    void settleAuditSources(String execId, ManagedCommand command) {
        audits.interrupted(execId, SOURCES_LOST);
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
