package io.gitcrq.apidocs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The document written the same way every time: the top-level fields in the specification's order, paths and
 * every components map sorted by name; inside them the scanner's order, which follows the classes (a record's
 * properties in declaration order).
 */
final class CanonicalYaml {

    private static final List<String> TOP_LEVEL =
            List.of("openapi", "info", "servers", "security", "tags", "paths", "webhooks", "components");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private CanonicalYaml() {}

    static String of(String json) {
        try {
            ObjectNode document = (ObjectNode) JSON.readTree(json);
            ObjectNode canonical = JSON.createObjectNode();
            for (String field : TOP_LEVEL) {
                if (document.has(field)) {
                    canonical.set(field, document.get(field));
                }
            }
            List<String> others = new ArrayList<>();
            document.fieldNames().forEachRemaining(others::add);
            others.removeAll(TOP_LEVEL);
            others.stream().sorted().forEach(field -> canonical.set(field, document.get(field)));
            sortFields(canonical.get("paths"));
            JsonNode components = canonical.get("components");
            if (components != null) {
                sortFields(components);
                components.forEach(CanonicalYaml::sortFields);
            }
            return YAML.writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sortFields(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            object.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
            object.removeAll();
            object.setAll(sorted);
        }
    }
}
