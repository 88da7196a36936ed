package io.gitcrq.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one place where gitcrq events become JSON and back. */
public final class EventCodec {

    /**
     * Events are read tolerantly: a newer producer may add fields to a version, and an older consumer
     * must still read what it knows (a new meaning gets a new version instead).
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private EventCodec() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Wraps event data into a new envelope with a fresh id ({@link EventIds}). */
    public static CloudEvent envelope(String source, DomainEvent data) {
        return envelope(EventIds.next(), source, Instant.now(), data);
    }

    public static CloudEvent envelope(String id, String source, Instant time, DomainEvent data) {
        EventType type = EventType.of(data);
        return new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                source,
                type.ceType(),
                time.truncatedTo(ChronoUnit.MICROS),
                data.subject(),
                "application/json",
                MAPPER.valueToTree(data));
    }

    public static String toJson(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event " + event.id(), e);
        }
    }

    public static String dataToJson(DomainEvent data) {
        try {
            return MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + data.getClass().getSimpleName(), e);
        }
    }

    /** Parses an envelope, refusing anything that is not a CloudEvents 1.0 record of a known gitcrq type. */
    public static CloudEvent parse(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record");
        }
        CloudEvent event;
        try {
            event = MAPPER.readValue(json, CloudEvent.class);
        } catch (Exception e) {
            throw new MalformedEventException("not a CloudEvents JSON envelope: " + e.getMessage(), e);
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new MalformedEventException("unsupported specversion " + event.specversion());
        }
        if (event.data() == null || event.data().isNull()) {
            throw new MalformedEventException("event " + event.id() + " has no data");
        }
        return event;
    }

    /** The event's data as the record its type names; unknown types yield {@code null} (skip, not an error). */
    public static DomainEvent dataOf(CloudEvent event) {
        EventType type = EventType.fromCeType(event.type()).orElse(null);
        if (type == null) {
            return null;
        }
        return dataAs(event.data(), type.dataClass(), event.id());
    }

    public static <T extends DomainEvent> T dataAs(JsonNode data, Class<T> type, String eventId) {
        try {
            T value = MAPPER.treeToValue(data, type);
            if (value == null) {
                throw new MalformedEventException("event " + eventId + " has no data");
            }
            return value;
        } catch (MalformedEventException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedEventException(
                    "event " + eventId + " does not carry a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
