package io.gitcrq.execagent.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow run as the API shows it. {@code status} is RUNNING, then the run's result (SUCCESS, FAILURE,
 * CANCELLED); each job run and step is RUNNING, then its conclusion (SUCCESS, FAILURE, CANCELLED, SKIPPED), with
 * {@code outcome} before {@code continue-on-error}. Each step that ran names its exec ({@code GET /execs/{execId}},
 * its log and {@code /recording}). Secrets are masked in outputs and errors.
 *
 * @param directory the engine's directory of the run (per-step scripts and command files), once it ended
 */
public record WorkflowView(String runId, String name, String source, String status, String crqId, String host,
                           String session, String workspace, String directory, String requestedBy, String error,
                           Instant startedAt, Instant finishedAt, List<Job> jobs) {

    /** One job run: the job, or one matrix combination of it, e.g. {@code test (a, 1)}. */
    public record Job(String jobId, String name, Map<String, Object> matrix, String status, String outcome,
                      Map<String, String> outputs, String error, Instant startedAt, Instant finishedAt,
                      List<Step> steps) {
    }

    /** One step of a job run; {@code execId} and {@code logPath} are those of the exec that ran it, if one did. */
    public record Step(int index, String id, String name, String status, String outcome, Integer exitCode,
                       boolean timedOut, Map<String, String> outputs, String error, String execId, String logPath,
                       Instant startedAt, Instant finishedAt) {
    }
}
