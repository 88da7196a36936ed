package io.gitcrq.workflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document read into nodes that remember their line, so errors can point at it. */
final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    sealed interface Node permits Scalar, Sequence, Mapping {
        int line();

        /** The node as plain Java values: null, Boolean, Double, String, List, Map (expression values). */
        Object toValue();

        default String kind() {
            if (this instanceof Mapping) {
                return "a mapping";
            }
            if (this instanceof Sequence) {
                return "a sequence";
            }
            return "a scalar";
        }
    }

    /** A scalar: {@code value} is typed (null, Boolean, Double, String), {@code text} is as written. */
    record Scalar(Object value, String text, int line) implements Node {
        @Override
        public Object toValue() {
            return value;
        }

        boolean isNull() {
            return value == null;
        }
    }

    record Sequence(List<Node> items, int line) implements Node {
        @Override
        public Object toValue() {
            List<Object> out = new ArrayList<>();
            for (Node item : items) {
                out.add(item.toValue());
            }
            return out;
        }
    }

    record Mapping(Map<String, Node> entries, Map<String, Integer> keyLines, int line) implements Node {
        @Override
        public Object toValue() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k, v.toValue()));
            return out;
        }

        Node get(String key) {
            return entries.get(key);
        }

        int lineOf(String key) {
            return keyLines.getOrDefault(key, line);
        }
    }

    static Node parse(String text, String source) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new WorkflowException(source + ": the file is empty");
            }
            Node root = read(parser, source);
            if (parser.nextToken() != null) {
                throw new WorkflowException(source + ": more than one YAML document");
            }
            return root;
        } catch (IOException e) {
            throw new WorkflowException(source + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        return message.replace("\r", "").trim();
    }

    private static Node read(JsonParser parser, String source) throws IOException {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    if (key.contains("${{")) {
                        // Actions' template directives (${{ insert }}, ${{ if … }} as keys) build the mapping itself.
                        throw new WorkflowException(source + ":" + keyLine + ": an expression as a key ('" + key
                                + "', e.g. ${{ insert }}) is not supported; write the keys out");
                    }
                    if (entries.containsKey(key)) {
                        throw new WorkflowException(source + ":" + keyLine + ": duplicate key '" + key + "'");
                    }
                    parser.nextToken();
                    entries.put(key, read(parser, source));
                    keyLines.put(key, keyLine);
                }
                return new Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyLines), line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, source));
                }
                return new Sequence(Collections.unmodifiableList(items), line);
            }
            case VALUE_STRING -> {
                return new Scalar(parser.getText(), parser.getText(), line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Scalar(parser.getDoubleValue(), parser.getText(), line);
            }
            case VALUE_TRUE -> {
                return new Scalar(Boolean.TRUE, parser.getText(), line);
            }
            case VALUE_FALSE -> {
                return new Scalar(Boolean.FALSE, parser.getText(), line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, "", line);
            }
            default -> throw new WorkflowException(source + ":" + line + ": unexpected YAML content (" + token + ")");
        }
    }
}
