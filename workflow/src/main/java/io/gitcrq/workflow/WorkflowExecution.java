package io.gitcrq.workflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A started run: wait for it, or cancel it. */
public final class WorkflowExecution {

    private final String runId;
    private final CompletableFuture<WorkflowRun> result;
    private final Runnable canceller;

    WorkflowExecution(String runId, CompletableFuture<WorkflowRun> result, Runnable canceller) {
        this.runId = runId;
        this.result = result;
        this.canceller = canceller;
    }

    public String runId() {
        return runId;
    }

    /**
     * Cancels the run as Actions does: running steps are stopped (their runner's thread interrupted) and report
     * cancelled, queued job runs are cancelled, and only steps and jobs whose {@code if:} holds when cancelled
     * ({@code always()}, {@code cancelled()}) still run. Idempotent.
     */
    public void cancel() {
        canceller.run();
    }

    public boolean isDone() {
        return result.isDone();
    }

    /** Waits for the run to end. */
    public WorkflowRun await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the workflow engine failed", e.getCause());
        }
    }

    /** Waits at most this long; null if the run has not ended by then. */
    public WorkflowRun await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return result.get(timeout, unit);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the workflow engine failed", e.getCause());
        }
    }

    /** Waits for the end; an interrupt cancels the run, is remembered, and the wait goes on. */
    WorkflowRun awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
