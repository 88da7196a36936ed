package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.process.DaemonThreads;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Notices running commands ending, by their exit file ({@link ManagedCommand}), checked every
 * {@code gitcrq.exec.poll-interval}. A pane whose program is gone without an exit file (killed with
 * SIGKILL, or the tmux server stopped) will never report one: that exec has failed.
 * <p>
 * It also stops commands: one that runs past its timeout, or that is {@link #stop stopped} (a cancelled workflow
 * step). The command's process tree — its shell ({@link ManagedCommand#commandPid()}) and everything under it —
 * gets SIGTERM, and SIGKILL {@code gitcrq.exec.kill-grace} later if still there. The pane's wrapper is left alone:
 * it records the command's exit status as for any other end, and the pane stays open with the output.
 */
@ApplicationScoped
public class ExecWatcher {

    /** {@code stoppedBy} of a command killed for running past its timeout. */
    public static final String TIMEOUT = "timeout";
    /** {@code stoppedBy} of a command killed because it was cancelled. */
    public static final String CANCEL = "cancel";

    private static final Logger LOG = Logger.getLogger(ExecWatcher.class);

    private final ExecCompletion completion;
    private final long intervalMillis;
    private final long killGraceNanos;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    /** Stops asked for before the command was started: it never starts. */
    private final Map<String, String> stopsBeforeStart = new ConcurrentHashMap<>();

    private ScheduledExecutorService scheduler;

    public ExecWatcher(ExecCompletion completion, ExecAgentConfig config) {
        this.completion = completion;
        this.intervalMillis = config.pollInterval().toMillis();
        this.killGraceNanos = config.killGrace().toNanos();
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("exec-watcher"));
        scheduler.scheduleWithFixedDelay(this::poll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    public void watch(String execId, ManagedCommand command, long panePid) {
        watch(execId, command, panePid, null);
    }

    /** Watches a command just started; past {@code timeout} (null: never) it is killed. */
    public void watch(String execId, ManagedCommand command, long panePid, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Watched w = new Watched(command, panePid, deadline);
        watched.put(execId, w);
        String early = stopsBeforeStart.remove(execId);
        if (early != null) {
            terminate(execId, w, early);
        }
    }

    /** Whether this run of the agent watches the exec's command. */
    public boolean watching(String execId) {
        return watched.containsKey(execId);
    }

    /**
     * Kills a running command's processes ({@link #CANCEL}, {@link #TIMEOUT}); its end is then recorded as usual,
     * with {@code stoppedBy}. A command not started yet is remembered and never starts ({@link #stopRequested}).
     */
    public void stop(String execId, String stoppedBy) {
        Watched w = watched.get(execId);
        if (w == null) {
            stopsBeforeStart.put(execId, stoppedBy);
            // Started meanwhile? Then watch() may have missed the note.
            w = watched.get(execId);
            if (w == null || stopsBeforeStart.remove(execId) == null) {
                return;
            }
        }
        terminate(execId, w, stoppedBy);
    }

    /** Whether a stop was asked for this exec before it started (then it must not start); forgets the request. */
    public String stopRequested(String execId) {
        return stopsBeforeStart.remove(execId);
    }

    private void poll() {
        watched.forEach((execId, w) -> {
            try {
                if (ended(execId, w)) {
                    watched.remove(execId);
                } else {
                    enforce(execId, w);
                }
            } catch (Exception e) {
                // The database may be away for a moment: the exit file stays, the next poll tries again.
                LOG.warnf(e, "cannot record the end of exec %s yet", execId);
            }
        });
    }

    private boolean ended(String execId, Watched w) throws IOException {
        OptionalInt exitCode = w.command.exitCode();
        if (exitCode.isPresent()) {
            completion.finished(execId, exitCode.getAsInt(), w.command.endedAt(), w.stoppedBy);
            return true;
        }
        if (ProcessHandle.of(w.panePid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        // Gone: look once more, in case the status was written just before the process ended.
        exitCode = w.command.exitCode();
        if (exitCode.isPresent()) {
            completion.finished(execId, exitCode.getAsInt(), w.command.endedAt(), w.stoppedBy);
        } else {
            completion.failed(
                    execId, "the pane's program ended without reporting an exit status (pane or tmux server killed?)");
        }
        return true;
    }

    /** A timeout come, or a SIGKILL due. */
    private void enforce(String execId, Watched w) {
        long now = System.nanoTime();
        synchronized (w) {
            if (w.stoppedBy == null && now - w.deadline >= 0 && w.deadline != Long.MAX_VALUE) {
                LOG.infof("exec %s ran past its timeout: stopping it", execId);
                terminate(execId, w, TIMEOUT);
            } else if (w.stoppedBy != null && !w.killed && now - w.killAt >= 0) {
                Set<ProcessHandle> tree = w.tree();
                long left = tree.stream().filter(ProcessHandle::isAlive).count();
                if (left > 0) {
                    LOG.infof("exec %s: %d process(es) still there after SIGTERM: SIGKILL", execId, left);
                }
                tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                w.killed = true;
            }
        }
    }

    private void terminate(String execId, Watched w, String stoppedBy) {
        synchronized (w) {
            if (w.stoppedBy != null) {
                return;
            }
            w.stoppedBy = stoppedBy;
            w.killAt = System.nanoTime() + killGraceNanos;
            Set<ProcessHandle> tree = w.tree();
            LOG.infof("exec %s stopped (%s): SIGTERM to %d process(es)", execId, stoppedBy, tree.size());
            tree.forEach(ProcessHandle::destroy);
        }
    }

    private static final class Watched {
        final ManagedCommand command;
        final long panePid;
        final long deadline;
        volatile String stoppedBy;
        long killAt;
        boolean killed;
        /** Every process ever seen in the command's tree, so that orphans of a killed parent are killed too. */
        final Set<ProcessHandle> seen = new LinkedHashSet<>();

        Watched(ManagedCommand command, long panePid, long deadline) {
            this.command = command;
            this.panePid = panePid;
            this.deadline = deadline;
        }

        /**
         * The command's shell and its descendants; before the shell noted its pid, whatever runs under the pane's
         * wrapper (never the wrapper itself, which records the exit status).
         */
        Set<ProcessHandle> tree() {
            OptionalLong pid = command.commandPid();
            ProcessHandle root =
                    pid.isPresent() ? ProcessHandle.of(pid.getAsLong()).orElse(null) : null;
            if (root != null) {
                seen.add(root);
                root.descendants().forEach(seen::add);
            } else if (pid.isEmpty()) {
                ProcessHandle.of(panePid).ifPresent(pane -> pane.descendants().forEach(seen::add));
            }
            seen.removeIf(p -> !p.isAlive());
            return new LinkedHashSet<>(seen);
        }
    }
}
