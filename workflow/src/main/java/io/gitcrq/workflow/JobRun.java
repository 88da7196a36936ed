package io.gitcrq.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened to one run of a job: the job itself, or one matrix combination of it.
 *
 * @param jobId       the job's key under {@code jobs:}
 * @param name        the display name: {@code name:} (evaluated) or the id, with {@code (v1, v2)} for a matrix run
 *                    whose name does not mention the matrix, as Actions shows it
 * @param matrix      this run's matrix values (empty without a matrix)
 * @param outcome     success, failure, cancelled or skipped, before job-level {@code continue-on-error}
 * @param conclusion  after it; this is what {@code needs.<job>.result} and the workflow's status see
 * @param outputs     the job's {@code outputs:}, evaluated when it ended
 * @param steps       the steps, in order; empty for a job that never started (skipped, or cancelled while queued)
 * @param startedAt   when it started (or was decided, if it never started)
 * @param finishedAt  when it ended
 * @param error       why the engine failed or skipped the job besides its steps (an {@code if:} or matrix that did
 *                    not evaluate, a job timeout), or null
 */
public record JobRun(
        String jobId,
        String name,
        Map<String, Object> matrix,
        Status outcome,
        Status conclusion,
        Map<String, String> outputs,
        List<StepRun> steps,
        Instant startedAt,
        Instant finishedAt,
        String error) {

    /** The job run's status: its conclusion. */
    public Status status() {
        return conclusion;
    }

    /** The step with this {@code id:}, if any. */
    public java.util.Optional<StepRun> step(String stepId) {
        return steps.stream().filter(s -> stepId.equals(s.id())).findFirst();
    }
}
