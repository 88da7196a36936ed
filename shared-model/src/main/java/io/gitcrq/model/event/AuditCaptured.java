package io.gitcrq.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Something a managed command did, as one audit source saw it. {@code kind} names the source and what it
 * saw ({@link #KIND_EXEC} for a whole command); {@code payload} is that source's detail.
 */
public record AuditCaptured(String host, String crqId, String kind, Instant occurredAt, JsonNode payload)
        implements DomainEvent {

    public static final String KIND_EXEC = "exec";

    public AuditCaptured {
        Require.text(host, "host");
        Require.text(crqId, "crqId");
        Require.text(kind, "kind");
        Require.present(occurredAt, "occurredAt");
        Require.present(payload, "payload");
    }

    @Override
    public String partitionKey() {
        return host;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
