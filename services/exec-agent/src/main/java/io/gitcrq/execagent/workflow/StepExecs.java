package io.gitcrq.execagent.workflow;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ExecEnded;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.execagent.service.ExecWatcher;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.workflow.StepInvocation;
import io.gitcrq.workflow.StepResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs a workflow step as an exec of this agent, through the same path as {@code POST /execs}: {@link ExecOrder}
 * checks it, {@link ExecStarter} records it RUNNING and has it started in its pane, the watcher notices its end (or
 * kills it past its timeout), and {@code ExecCompletion} masks its log, makes its recording and publishes
 * ExecFinished and its audit record. The step's thread waits for that end ({@link ExecEnded}, or the exec's row).
 */
@ApplicationScoped
public class StepExecs {

    private static final Logger LOG = Logger.getLogger(StepExecs.class);
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    /** How often a waiting step also looks at the exec's row, in case its end event was missed. */
    private static final long CHECK_SECONDS = 2;

    private final ExecStarter starter;
    private final ExecWatcher watcher;
    private final ExecAgentConfig config;
    private final WorkflowLedger ledger;
    private final Map<String, CompletableFuture<ExecEnded>> waiting = new ConcurrentHashMap<>();

    public StepExecs(ExecStarter starter, ExecWatcher watcher, ExecAgentConfig config, WorkflowLedger ledger) {
        this.starter = starter;
        this.watcher = watcher;
        this.config = config;
        this.ledger = ledger;
    }

    void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExecEnded ended) {
        CompletableFuture<ExecEnded> end = waiting.get(ended.execId());
        if (end != null) {
            end.complete(ended);
        }
    }

    /** Runs {@code step} in window {@code window} of the run's session and waits for it (see {@link io.gitcrq.workflow.StepRunner}). */
    StepResult run(RunContext run, String window, StepInvocation step) throws InterruptedException {
        String execId = UUID.randomUUID().toString();
        ExecOrder order;
        try {
            order = ExecOrder.validate(
                            execId,
                            config.host(),
                            run.session(),
                            window,
                            commandLine(step.command()),
                            run.crqId(),
                            null,
                            step.workingDirectory().toString(),
                            run.requestedBy(),
                            config.defaultCwd())
                    .forWorkflowStep(step.env(), step.timeout(), run.runId(), step.displayName());
        } catch (DomainException invalid) {
            return StepResult.failedToStart(invalid.getMessage(), null);
        }
        Path log = ManagedCommand.in(config.logDirectory(), execId).logFile();
        CompletableFuture<ExecEnded> end = new CompletableFuture<>();
        waiting.put(execId, end);
        try {
            ledger.stepExec(run.runId(), step.jobId(), step.jobName(), step.stepIndex(), execId, log.toString());
            try {
                starter.start(order);
            } catch (DomainException refused) {
                return StepResult.failedToStart(refused.getMessage(), null);
            }
            ExecEnded ended;
            try {
                ended = await(execId, end, false);
            } catch (InterruptedException cancelled) {
                LOG.infof("workflow %s: step %s cancelled, stopping exec %s", run.runId(), step.displayName(), execId);
                watcher.stop(execId, ExecWatcher.CANCEL);
                ended = await(execId, end, true);
                return StepResult.cancelled(ended == null ? null : ended.exitCode(), log);
            }
            return result(ended, log);
        } finally {
            waiting.remove(execId);
        }
    }

    private static StepResult result(ExecEnded ended, Path log) {
        if (ended.status() == ExecStatus.FAILED) {
            if (ExecWatcher.CANCEL.equals(ended.stoppedBy())) {
                return StepResult.cancelled(null, log);
            }
            return new StepResult(null, false, false, "exec " + ended.execId() + " failed: " + ended.reason(), log);
        }
        if (ExecWatcher.TIMEOUT.equals(ended.stoppedBy())) {
            return StepResult.timedOut(ended.exitCode(), log);
        }
        if (ExecWatcher.CANCEL.equals(ended.stoppedBy())) {
            return StepResult.cancelled(ended.exitCode(), log);
        }
        return StepResult.exited(ended.exitCode(), log);
    }

    /**
     * The exec's end. {@code afterStop}: it was just killed — wait out the kill (ignoring interrupts), but not
     * forever (null if it has not ended by then).
     */
    private ExecEnded await(String execId, CompletableFuture<ExecEnded> end, boolean afterStop)
            throws InterruptedException {
        long deadline = System.nanoTime() + config.killGrace().toNanos() + TimeUnit.SECONDS.toNanos(15);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return end.get(CHECK_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    Optional<ExecEnded> known = ledger.execEnd(execId);
                    if (known.isPresent()) {
                        return known.get();
                    }
                    if (afterStop && System.nanoTime() - deadline > 0) {
                        LOG.warnf("exec %s has not ended after it was stopped", execId);
                        return null;
                    }
                } catch (InterruptedException e) {
                    if (!afterStop) {
                        throw e;
                    }
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The step's argument vector as one shell command line (what the exec shows and runs). */
    static String commandLine(List<String> argv) {
        return argv.stream()
                .map(a -> SHELL_SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
