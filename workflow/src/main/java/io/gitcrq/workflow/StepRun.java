package io.gitcrq.workflow;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What happened to one step of one job run.
 *
 * @param index      position in the job, from 0
 * @param id         the step's {@code id:}, or null
 * @param name       the display name ({@code name:} evaluated, or {@code Run <first script line>})
 * @param outcome    before {@code continue-on-error}: success, failure, cancelled or skipped
 * @param conclusion after {@code continue-on-error} (a failed step allowed to fail concludes success)
 * @param exitCode   the process's exit code, or null when no process ran or none was reported
 * @param timedOut   whether the step (or its job) ran out of {@code timeout-minutes} and was killed
 * @param outputs    what the step wrote to {@code $GITHUB_OUTPUT}
 * @param startedAt  when the step started (or was decided, for skipped steps)
 * @param finishedAt when it ended (equal to startedAt for skipped steps)
 * @param error      why the engine failed the step without (or besides) an exit code — an expression that did not
 *                   evaluate, a malformed {@code $GITHUB_OUTPUT}, a timeout, a runner error; null otherwise
 * @param log        the step's combined stdout/stderr when the runner kept one, or null
 */
public record StepRun(
        int index,
        String id,
        String name,
        Status outcome,
        Status conclusion,
        Integer exitCode,
        boolean timedOut,
        Map<String, String> outputs,
        Instant startedAt,
        Instant finishedAt,
        String error,
        Path log) {

    /** The step's status: its conclusion. */
    public Status status() {
        return conclusion;
    }
}
