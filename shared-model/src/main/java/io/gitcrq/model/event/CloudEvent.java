package io.gitcrq.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A gitcrq event as it travels on Kafka: the CloudEvents 1.0 JSON envelope, with {@code data} left as
 * JSON until a consumer asks for the record it expects (see {@link EventCodec#dataOf}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }
}
