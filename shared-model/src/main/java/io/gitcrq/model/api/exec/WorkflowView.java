package io.gitcrq.model.api.exec;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow run as the API shows it. {@code status} is RUNNING, then the run's result (SUCCESS, FAILURE,
 * CANCELLED); each job run and step is RUNNING, then its conclusion (SUCCESS, FAILURE, CANCELLED, SKIPPED), with
 * {@code outcome} before {@code continue-on-error}. Each step that ran names its exec ({@code GET /execs/{execId}},
 * its log and {@code /recording}). Secrets are masked in outputs and errors.
 *
 * @param repo        the Git repository the workflow file was read from, or null (a text, a file on the host)
 * @param ref         the ref asked for there (default {@code HEAD})
 * @param commit      the commit that ref named when the run started: the file is that commit's
 * @param directory   the engine's directory of the run (per-step scripts and command files), once it ended
 * @param cancelledBy who cancelled the run, or null; it is CANCELLED once its steps have wound down
 * @param jobs        its job runs; null in lists ({@code GET /workflows?crq=})
 */
public record WorkflowView(
        String runId,
        String name,
        String source,
        String status,
        String crqId,
        String host,
        String session,
        String workspace,
        String repo,
        String ref,
        String commit,
        String directory,
        String requestedBy,
        String cancelledBy,
        String error,
        Instant startedAt,
        Instant finishedAt,
        List<Job> jobs) {

    /** One job run: the job, or one matrix combination of it, e.g. {@code test (a, 1)}. */
    public record Job(
            String jobId,
            String name,
            Map<String, Object> matrix,
            String status,
            String outcome,
            Map<String, String> outputs,
            String error,
            Instant startedAt,
            Instant finishedAt,
            List<Step> steps) {}

    /** One step of a job run; {@code execId} and {@code logPath} are those of the exec that ran it, if one did. */
    public record Step(
            int index,
            String id,
            String name,
            String status,
            String outcome,
            Integer exitCode,
            boolean timedOut,
            Map<String, String> outputs,
            String error,
            String execId,
            String logPath,
            Instant startedAt,
            Instant finishedAt) {}
}
