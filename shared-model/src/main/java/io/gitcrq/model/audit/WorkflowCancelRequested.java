package io.gitcrq.model.audit;

import java.time.Instant;
import java.util.Objects;

/** {@code workflow}, {@code event: cancel-requested} (exec-agent): {@code cancelledBy} asked a run to stop. */
public record WorkflowCancelRequested(String event, String runId, String name, String cancelledBy, Instant at)
        implements AuditPayload {

    public static final String EVENT = "cancel-requested";

    public WorkflowCancelRequested {
        if (!EVENT.equals(event)) {
            throw new IllegalArgumentException("event must be " + EVENT);
        }
        Objects.requireNonNull(runId, "runId");
    }

    @Override
    public String kind() {
        return WorkflowStarted.KIND;
    }
}
