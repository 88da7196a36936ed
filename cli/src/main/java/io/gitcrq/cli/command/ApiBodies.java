package io.gitcrq.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.CliFailure;
import io.gitcrq.cli.output.Json;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Service answers read as the API records the services serve ({@code io.gitcrq.model.api.*}), with the mapper the
 * shared model's JSON is written with; {@code --json} still prints the answer exactly as it came.
 */
final class ApiBodies {

    private ApiBodies() {}

    static <T> T read(JsonNode body, Class<T> type) {
        try {
            return EventCodec.mapper().treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "unexpected answer (not a " + type.getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /** A JSON array of {@code type}; an absent body is an empty list. */
    static <T> List<T> list(JsonNode body, Class<T> type) {
        List<T> items = new ArrayList<>();
        for (JsonNode item : Json.items(body, null)) {
            items.add(read(item, type));
        }
        return items;
    }

    /** An instant as the tables show times (whole seconds, UTC); "-" when absent. */
    static String time(Instant at) {
        return at == null ? "-" : Json.time(at.toString());
    }
}
