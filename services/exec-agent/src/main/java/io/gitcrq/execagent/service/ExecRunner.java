package io.gitcrq.execagent.service;

import io.gitcrq.execagent.audit.ExecAudit;
import io.gitcrq.execagent.audit.ExecAudits;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.process.DaemonThreads;
import io.gitcrq.execagent.recording.Recordings;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.execagent.tmux.PaneProcess;
import io.gitcrq.execagent.tmux.TmuxPanes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Starts accepted commands in their tmux panes. Only after the RUNNING row is committed: a command never
 * runs without its record, and a rolled-back request (a Kafka record dead-lettered) never runs at all.
 * Starting happens on a thread of its own, outside the request's transaction, so that a failure to start
 * can be recorded in a transaction of its own. The exec's audit sources ({@link ExecAudits}) start around it, before
 * its pane: the command runs under the strace of a source that follows its processes (or, where strace cannot, such a
 * source attaches as soon as the command's shell noted its pid).
 */
@ApplicationScoped
public class ExecRunner {

    private static final Logger LOG = Logger.getLogger(ExecRunner.class);

    private final ExecAgentConfig config;
    private final TmuxPanes panes;
    private final ExecWatcher watcher;
    private final ExecCompletion completion;
    private final Recordings recordings;
    private final ExecAudits audits;
    private final HostPolicy hostPolicy;
    private final ExecStarter starter;
    private final Redactor redactor;
    /** Accepted by this run of the agent and not handed to tmux yet: a recovery leaves them to it. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private final ExecutorService launcher = Executors.newSingleThreadExecutor(DaemonThreads.named("exec-launcher"));

    public ExecRunner(
            ExecAgentConfig config,
            TmuxPanes panes,
            ExecWatcher watcher,
            ExecCompletion completion,
            Recordings recordings,
            ExecAudits audits,
            HostPolicy hostPolicy,
            ExecStarter starter,
            Redactor redactor) {
        this.config = config;
        this.panes = panes;
        this.watcher = watcher;
        this.completion = completion;
        this.recordings = recordings;
        this.audits = audits;
        this.hostPolicy = hostPolicy;
        this.starter = starter;
        this.redactor = redactor;
    }

    void onAccepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExecAccepted accepted) {
        String execId = accepted.order().execId();
        pending.add(execId);
        launcher.execute(() -> {
            try {
                launch(accepted.order());
            } finally {
                pending.remove(execId);
            }
        });
    }

    /** Whether this run of the agent accepted the exec and is still to hand it to tmux. */
    boolean pending(String execId) {
        return pending.contains(execId);
    }

    private void launch(ExecOrder order) {
        ManagedCommand command = null;
        try {
            String stopped = watcher.stopRequested(order.execId());
            if (stopped != null) {
                completion.failed(order.execId(), "stopped (" + stopped + ") before it started", stopped);
                return;
            }
            // What runs is the argument vector the policy decided on when the order was accepted (the same
            // decision again: the policy is fixed for the agent's life), never the line read once more by a shell.
            HostPolicy.Decision decision = hostPolicy.decide(order);
            if (decision.refused()) {
                completion.failed(order.execId(), "refused: " + decision.refusal());
                return;
            }
            if (!starter.launching(order.execId())) {
                LOG.infof("exec %s ended before it started: not started", order.execId());
                return;
            }
            command = ManagedCommand.in(order.logDirectory(config.logDirectory()), order.execId());
            ExecAudit audit = audits.open(order, command);
            List<String> program = command.prepare(
                    decision.argv(),
                    redactor.mask(order.command()), // only shown in the pane and the script
                    order.cwd(),
                    order.crqId(),
                    new ManagedCommand.Run(
                            audit.environment(order.env()),
                            order.launch() == null ? Map.of() : order.launch().secretEnv(),
                            recordings.scriptAvailable(),
                            order.launch() != null,
                            audit.tracer(),
                            audit.attachWait(),
                            audit.cgroup() == null ? null : audit.cgroup().procs()));
            PaneProcess pane = panes.start(order.session(), order.pane(), program);
            LOG.infof(
                    "exec %s for %s started in %s:%s (tmux pane %s)",
                    order.execId(), order.crqId(), order.session(), order.pane(), pane.paneId());
            watcher.watch(order.execId(), command, pane.pid(), order.timeout());
            audits.attach(audit);
        } catch (Exception e) {
            LOG.errorf(e, "cannot start exec %s", order.execId());
            discardSecrets(command);
            completion.failed(order.execId(), "could not be started in tmux: " + e.getMessage());
        }
    }

    private static void discardSecrets(ManagedCommand command) {
        if (command != null) {
            try {
                command.discardSecrets();
            } catch (IOException e) {
                LOG.errorf(e, "cannot remove the credentials file %s", command.secretsFile());
            }
        }
    }

    @PreDestroy
    void stop() {
        launcher.shutdownNow();
    }
}
