package io.gitcrq.audit.sources;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One captured audit fact. {@code kind} is the source kind ({@code file}, {@code process}, {@code syscall},
 * {@code route}, {@code network}, {@code http}) or {@code <kind>.summary} for the final counters record a source
 * publishes when it stops.
 *
 * <p>The sources make {@code typed}, one {@link AuditPayload} record per kind (its fields are the wire form, see
 * docs/api/schemas/audit). {@code payload} is the same as a map of JSON-friendly values (String, Number, Boolean,
 * List, Map, null), converted with the event codec's Jackson mapper when the record is made, in the field order and
 * with the Java types (Integer, Long) the record has, for readers that look at single fields; exec-agent's AuditLedger
 * publishes {@code typed} (masking it at one boundary) and refuses a record built from a map alone.
 */
public record AuditRecord(String kind, Instant occurredAt, Map<String, Object> payload, AuditPayload typed) {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    public AuditRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (typed != null && !typed.kind().equals(kind)) {
            throw new IllegalArgumentException("a " + typed.kind() + " payload in a record of kind " + kind);
        }
        payload = payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    public AuditRecord(String kind, Instant occurredAt, Map<String, Object> payload) {
        this(kind, occurredAt, payload, null);
    }

    public static AuditRecord of(String kind, Map<String, Object> payload) {
        return new AuditRecord(kind, Instant.now(), payload);
    }

    /** A record of the payload's kind, now. */
    public static AuditRecord of(AuditPayload typed) {
        return new AuditRecord(typed.kind(), Instant.now(), asMap(typed), typed);
    }

    /** The payload as exec-agent's codec writes it, as a map. */
    static Map<String, Object> asMap(AuditPayload typed) {
        return EventCodec.mapper().convertValue(typed, MAP);
    }

    /** True for the {@code <kind>.summary} record published at stop. */
    public boolean isSummary() {
        return kind.endsWith(".summary");
    }
}
