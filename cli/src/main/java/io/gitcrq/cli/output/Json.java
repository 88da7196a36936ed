package io.gitcrq.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.ApiJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Reading service JSON leniently: a missing or null field is simply absent, never an exception. */
public final class Json {

    /**
     * Compact, for request bodies; {@link #pretty(JsonNode)} indents for people. The services' own settings, so that
     * the API records of shared-model are written and read as the services do.
     */
    public static final ObjectMapper MAPPER = ApiJson.mapper();

    private Json() {}

    /**
     * A service's answer as the API record it stands for; missing fields are null. One the record cannot hold (a
     * text where a number belongs) is the service's error, said as such.
     */
    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node == null || node.isMissingNode() ? MAPPER.createObjectNode() : node, type);
        } catch (JsonProcessingException e) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    "the service answered with an unexpected " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /** A service's answer that is a list of API records. */
    public static <T> List<T> readList(JsonNode node, Class<T> type) {
        List<T> items = new ArrayList<>();
        for (JsonNode item : items(node, null)) {
            items.add(read(item, type));
        }
        return items;
    }

    /** The field as text, or null when missing/null. Numbers and booleans come back as their text. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The field as text, or {@code fallback} when missing, null or blank. */
    public static String text(JsonNode node, String field, String fallback) {
        String value = text(node, field);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The elements of an array field (or of {@code node} itself when {@code field} is null); empty if absent. */
    public static List<JsonNode> items(JsonNode node, String field) {
        JsonNode array = field == null ? node : (node == null ? null : node.get(field));
        List<JsonNode> items = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(items::add);
        }
        return items;
    }

    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    /** An instant shortened to whole seconds in UTC; {@code -} when there is none. */
    public static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** An ISO timestamp shortened to whole seconds in UTC ({@code 2024-05-01T10:15:30Z}); other text as is. */
    public static String time(String iso) {
        if (iso == null || iso.isBlank()) {
            return "-";
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(iso)
                        .toInstant()
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString();
            } catch (DateTimeParseException notOffset) {
                return iso;
            }
        }
    }
}
