package io.gitcrq.model.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON as the services' REST bodies are written (service-kit sets Quarkus' mapper alike): instants as ISO-8601 text,
 * null fields written. Read tolerantly: a newer service may add fields an older client does not know.
 */
public final class ApiJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ApiJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
