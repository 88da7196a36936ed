package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices running commands ending, by their exit file ({@link ManagedCommand}), checked every
 * {@code gitcrq.exec.poll-interval}. A pane whose program is gone without an exit file (killed with
 * SIGKILL, or the tmux server stopped) will never report one: that exec has failed.
 */
@ApplicationScoped
public class ExecWatcher {

    private static final Logger LOG = Logger.getLogger(ExecWatcher.class);

    private final ExecCompletion completion;
    private final long intervalMillis;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public ExecWatcher(ExecCompletion completion, ExecAgentConfig config) {
        this.completion = completion;
        this.intervalMillis = config.pollInterval().toMillis();
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
        watched.put(execId, new Watched(command, panePid));
    }

    private void poll() {
        watched.forEach((execId, w) -> {
            try {
                if (ended(execId, w)) {
                    watched.remove(execId);
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
            completion.finished(execId, exitCode.getAsInt(), w.command.endedAt());
            return true;
        }
        if (ProcessHandle.of(w.panePid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        // Gone: look once more, in case the status was written just before the process ended.
        exitCode = w.command.exitCode();
        if (exitCode.isPresent()) {
            completion.finished(execId, exitCode.getAsInt(), w.command.endedAt());
        } else {
            completion.failed(execId, "the pane's program ended without reporting an exit status (pane or tmux server killed?)");
        }
        return true;
    }

    private record Watched(ManagedCommand command, long panePid) {
    }
}
