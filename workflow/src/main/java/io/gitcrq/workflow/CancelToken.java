package io.gitcrq.workflow;

/** Cancellation of one job run: interrupts the thread inside {@link StepRunner#run}, once. */
final class CancelToken {

    private boolean cancelled;
    private Thread stepThread;

    synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (stepThread != null) {
            stepThread.interrupt();
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The current thread is about to run a step; it is interrupted if the job run is cancelled meanwhile. */
    synchronized void enterStep() {
        stepThread = Thread.currentThread();
    }

    /** The step is over: no more interrupts, and a stray one is cleared. */
    synchronized void exitStep() {
        stepThread = null;
        Thread.interrupted();
    }
}
