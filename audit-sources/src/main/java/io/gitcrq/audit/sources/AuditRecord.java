package io.gitcrq.audit.sources;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One captured audit fact. {@code kind} is the source kind ({@code file}, {@code process}, {@code syscall},
 * {@code route}, {@code network}, {@code http}) or {@code <kind>.summary} for the final counters record a source
 * publishes when it stops. The payload holds JSON-friendly values only (String, Number, Boolean, List, Map, null).
 */
public record AuditRecord(String kind, Instant occurredAt, Map<String, Object> payload) {

    public AuditRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
        payload = payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    public static AuditRecord of(String kind, Map<String, Object> payload) {
        return new AuditRecord(kind, Instant.now(), payload);
    }

    /** True for the {@code <kind>.summary} record published at stop. */
    public boolean isSummary() {
        return kind.endsWith(".summary");
    }
}
