package io.gitcrq.workflow;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of a whole run.
 *
 * @param name       the workflow's name
 * @param runId      the run id ({@code github.run_id})
 * @param status     failure when a job run concluded failure, else cancelled when one was cancelled, else success
 * @param jobs       every job run, in file order of the jobs and matrix order within a job (never completion order)
 * @param startedAt  when the run started
 * @param finishedAt when it ended
 * @param directory  the run's own directory (under the engine's temporary directory) holding each step's script,
 *                   command files and log; the engine never deletes it
 */
public record WorkflowRun(
        String name,
        String runId,
        Status status,
        List<JobRun> jobs,
        Instant startedAt,
        Instant finishedAt,
        Path directory) {

    /** The job run with this display name (e.g. {@code test (a, 1)}), if any. */
    public Optional<JobRun> job(String displayName) {
        return jobs.stream().filter(j -> j.name().equals(displayName)).findFirst();
    }

    /** The runs of one job id (one, or one per matrix combination). */
    public List<JobRun> runsOf(String jobId) {
        return jobs.stream().filter(j -> j.jobId().equals(jobId)).toList();
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }
}
