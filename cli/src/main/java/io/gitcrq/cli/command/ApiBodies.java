package io.gitcrq.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.ApiJson;
import java.util.ArrayList;
import java.util.List;

/** A service's answer read as the shared API record it is ({@code io.gitcrq.model.api}), not field by field. */
final class ApiBodies {

    /** Read as the services write (ISO instants); fields a newer service adds are skipped, a missing flag is false. */
    private static final ObjectMapper MAPPER = ApiJson.mapper();

    private ApiBodies() {}

    static <T> T read(JsonNode body, Class<T> type) {
        try {
            return MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "the service answered something that is not a " + type.getSimpleName(), e);
        }
    }

    /** The elements of an array answer; anything else reads as none. */
    static <T> List<T> list(JsonNode body, Class<T> type) {
        List<T> items = new ArrayList<>();
        if (body != null && body.isArray()) {
            body.forEach(item -> items.add(read(item, type)));
        }
        return items;
    }
}
