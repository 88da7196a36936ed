package io.gitcrq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.model.event.EventCodec;
import java.io.UncheckedIOException;

/**
 * Service answers for the fake services, built from the API records the services serve
 * ({@code io.gitcrq.model.api.*}) and written as they write them (ISO-8601 instants, nulls kept, each record's
 * own inclusion rules), so that a change to a record's shape shows in these tests instead of going unnoticed.
 */
public final class ApiSamples {

    private ApiSamples() {}

    public static String json(Object body) {
        try {
            return EventCodec.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
