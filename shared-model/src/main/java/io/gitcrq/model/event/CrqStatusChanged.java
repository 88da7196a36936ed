package io.gitcrq.model.event;

import java.time.Instant;

/** A CRQ moved from one status to another; {@code actor} is the user or service that moved it. */
public record CrqStatusChanged(String crqId, String from, String to, String actor, String reason, Instant at)
        implements DomainEvent {
    public CrqStatusChanged {
        Require.text(crqId, "crqId");
        Require.text(to, "to");
        Require.text(actor, "actor");
    }

    @Override
    public String partitionKey() {
        return crqId;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
