package io.gitcrq.console.domain;

import java.time.Instant;

/** One audit event of a host. */
public record AuditRecord(
        String eventId, String host, String crqId, String kind, Instant occurredAt, Long hostSeq, String payload) {}
