package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code workflow}, {@code event: started} (exec-agent): a workflow run was accepted: what it runs ({@code name},
 * {@code source}, the {@code workflow} text itself, masked, and its SHA-256), where and for whom, the committed
 * workflow's repository, ref and commit when it came from one, and its job ids.
 */
public record WorkflowStarted(
        String event,
        String runId,
        String name,
        String source,
        String session,
        String workspace,
        String requestedBy,
        Instant startedAt,
        String workflowSha256,
        String workflow,
        @JsonUnwrapped Committed committed,
        List<String> jobs)
        implements AuditPayload {

    public static final String KIND = "workflow";
    public static final String EVENT = "started";

    public WorkflowStarted {
        if (!EVENT.equals(event)) {
            throw new IllegalArgumentException("event must be " + EVENT);
        }
        Objects.requireNonNull(runId, "runId");
        jobs = List.copyOf(jobs);
    }

    /** Where a committed workflow came from: written together, or (a workflow sent as text) not at all. */
    public record Committed(String repo, String ref, String commit) {}

    @Override
    public String kind() {
        return KIND;
    }
}
