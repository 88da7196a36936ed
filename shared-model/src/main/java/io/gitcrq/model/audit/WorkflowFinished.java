package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code workflow}, {@code event: finished} (exec-agent): a run ended with {@code status}; who cancelled it and
 * the engine's {@code error} (masked) when there are; each job's status, outputs and steps (each step's exec, exit
 * code when it has one, {@code timedOut: true} when it ran out of time).
 */
public record WorkflowFinished(
        String event,
        String runId,
        String name,
        String status,
        String requestedBy,
        String session,
        Instant startedAt,
        Instant finishedAt,
        @JsonInclude(Include.NON_NULL) String cancelledBy,
        @JsonInclude(Include.NON_NULL) String error,
        List<Job> jobs)
        implements AuditPayload {

    public static final String EVENT = "finished";

    public WorkflowFinished {
        if (!EVENT.equals(event)) {
            throw new IllegalArgumentException("event must be " + EVENT);
        }
        Objects.requireNonNull(runId, "runId");
        jobs = List.copyOf(jobs);
    }

    public record Job(String jobId, String name, String status, Map<String, String> outputs, List<Step> steps) {}

    public record Step(
            int index,
            String name,
            String status,
            String execId,
            @JsonInclude(Include.NON_NULL) Integer exitCode,
            @JsonInclude(Include.NON_NULL) Boolean timedOut) {}

    @Override
    public String kind() {
        return WorkflowStarted.KIND;
    }
}
