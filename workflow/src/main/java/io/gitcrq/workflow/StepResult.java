package io.gitcrq.workflow;

import java.nio.file.Path;

/**
 * What a {@link StepRunner} reports for one step. The step succeeded when it exited 0, did not time out, was not
 * cancelled and carries no error.
 *
 * @param exitCode  the process's exit code, or null when it never started or none is known
 * @param timedOut  the step ran past {@link StepInvocation#timeout()} and was killed
 * @param cancelled the step was stopped because the run or job was cancelled (the runner's thread was interrupted)
 * @param error     why the step could not run (e.g. missing working directory), or null
 * @param log       where the step's output was kept, or null
 */
public record StepResult(Integer exitCode, boolean timedOut, boolean cancelled, String error, Path log) {

    public static StepResult exited(int exitCode, Path log) {
        return new StepResult(exitCode, false, false, null, log);
    }

    public static StepResult timedOut(Integer exitCode, Path log) {
        return new StepResult(exitCode, true, false, null, log);
    }

    public static StepResult cancelled(Integer exitCode, Path log) {
        return new StepResult(exitCode, false, true, null, log);
    }

    public static StepResult failedToStart(String error, Path log) {
        return new StepResult(null, false, false, error, log);
    }

    public boolean succeeded() {
        return exitCode != null && exitCode == 0 && !timedOut && !cancelled && error == null;
    }
}
