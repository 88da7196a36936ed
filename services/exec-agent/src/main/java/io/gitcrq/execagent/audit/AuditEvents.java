package io.gitcrq.execagent.audit;

import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;

/** exec-agent's own audit records as events: a typed payload, written as its record says, is the event's payload. */
public final class AuditEvents {

    private AuditEvents() {}

    /** The {@link AuditCaptured} of {@code payload}'s kind; whatever needs masking is masked in it already. */
    public static AuditCaptured captured(String host, String crqId, Instant occurredAt, AuditPayload payload) {
        return new AuditCaptured(
                host, crqId, payload.kind(), occurredAt, EventCodec.mapper().valueToTree(payload));
    }
}
