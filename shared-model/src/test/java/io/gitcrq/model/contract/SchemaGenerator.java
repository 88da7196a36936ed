package io.gitcrq.model.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Makes a JSON Schema (draft 2020-12) from a record, as Jackson writes it: record components in order; String,
 * numbers, booleans, {@link Instant} (a date-time string), List/Set, Map with String keys, nested records, and
 * {@link JsonNode} (any value).
 *
 * <p>Which keys are required is not declared but found out from the record itself, given a sample instance: a
 * component is required when the record's constructor refuses the sample with that component null (our records
 * check with {@code Require.text}/{@code Require.present}), and a required String must hold a non-blank text when
 * the constructor also refuses {@code " "}. Primitives are always written and never null. Any other component is
 * nullable; a component (or record) annotated {@code @JsonInclude(NON_NULL)} is left out when null instead, so it
 * is optional but never null. Whether a nullable, always-written key is listed as required is the caller's choice
 * ({@link Keys}): event readers accept its absence, audit payloads always carry it. The fields of a record
 * component annotated {@code @JsonUnwrapped} are written in place of it, all of them or none: none is required.
 */
public final class SchemaGenerator {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** What a key that is always written but may be null counts as. */
    public enum Keys {
        /** Not required: readers accept its absence (events: a field added to a version later reads as null). */
        NULLABLE_OPTIONAL,
        /** Required: the writer always writes it, null or not (audit payloads). */
        NULLABLE_REQUIRED
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Keys keys;

    public SchemaGenerator(Keys keys) {
        this.keys = keys;
    }

    /** A whole schema document for one record: its {@code $id}, a title and description, then its properties. */
    public ObjectNode document(String id, String title, String description, Record sample) {
        ObjectNode doc = header(id, title, description);
        doc.setAll(object(sample.getClass(), sample));
        return doc;
    }

    /**
     * A whole schema document for several shapes of one thing: one of them, each shape's {@code discriminator}
     * property fixed to the value its sample has (e.g. {@code event: exec} or {@code event: exit}).
     */
    public ObjectNode document(
            String id, String title, String description, List<? extends Record> samples, String discriminator) {
        if (samples.size() == 1) {
            return document(id, title, description, samples.get(0));
        }
        ObjectNode doc = header(id, title, description);
        ArrayNode oneOf = doc.putArray("oneOf");
        for (Record sample : samples) {
            ObjectNode shape = oneOf.addObject();
            shape.put("title", sample.getClass().getSimpleName());
            shape.setAll(object(sample.getClass(), sample));
            RecordComponent told = Arrays.stream(sample.getClass().getRecordComponents())
                    .filter(c -> c.getName().equals(discriminator))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            sample.getClass().getName() + " has no " + discriminator + " to tell it apart"));
            ((ObjectNode) shape.get("properties").get(discriminator)).put("const", (String) valueOf(told, sample));
        }
        return doc;
    }

    private static ObjectNode header(String id, String title, String description) {
        ObjectNode doc = NODES.objectNode();
        doc.put("$schema", DIALECT);
        doc.put("$id", id);
        doc.put("title", title);
        doc.put("description", description);
        return doc;
    }

    /** The schema of a record's JSON object; {@code sample} (may be null) lets required components be found. */
    ObjectNode object(Class<?> type, Object sample) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        RecordComponent[] components = type.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Object value = sample == null ? null : valueOf(component, sample);
            if (component.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) {
                // its fields are written in place, all or (when it is null) none: none of them required
                ObjectNode inner = object(component.getType(), value);
                properties.setAll((ObjectNode) inner.get("properties"));
                continue;
            }
            Presence presence = presence(type, components, i, sample);
            ObjectNode property = value(component.getGenericType(), value);
            if (presence == Presence.TEXT) {
                property.put("minLength", 1);
                property.put("pattern", "\\S");
            }
            boolean omittedWhenNull = omittedWhenNull(type, component);
            boolean nullable = presence == Presence.NULLABLE && !omittedWhenNull;
            if (nullable) {
                allowNull(property);
            }
            properties.set(nameOf(component), property);
            if (presence != Presence.NULLABLE || (nullable && keys == Keys.NULLABLE_REQUIRED)) {
                required.add(nameOf(component));
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private enum Presence {
        /** May be null (or absent, see the class comment). */
        NULLABLE,
        /** Never null. */
        PRESENT,
        /** Never null, nor a blank text. */
        TEXT
    }

    private static Presence presence(Class<?> type, RecordComponent[] components, int index, Object sample) {
        Class<?> raw = components[index].getType();
        if (raw.isPrimitive()) {
            return Presence.PRESENT;
        }
        if (sample == null) {
            return Presence.NULLABLE;
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = valueOf(components[i], sample);
        }
        if (args[index] == null) {
            return Presence.NULLABLE; // nothing to learn from a sample that leaves it out
        }
        args[index] = null;
        if (constructs(type, components, args)) {
            return Presence.NULLABLE;
        }
        if (raw == String.class) {
            args[index] = " ";
            if (!constructs(type, components, args)) {
                return Presence.TEXT;
            }
        }
        return Presence.PRESENT;
    }

    private static boolean constructs(Class<?> type, RecordComponent[] components, Object[] args) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            canonical.newInstance(args);
            return true;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException) {
                return false;
            }
            throw new IllegalStateException("constructing " + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private ObjectNode value(Type type, Object sample) {
        Class<?> raw = raw(type);
        ObjectNode schema = NODES.objectNode();
        if (raw == String.class) {
            schema.put("type", "string");
        } else if (raw == Instant.class) {
            schema.put("type", "string");
            schema.put("format", "date-time");
        } else if (raw == int.class
                || raw == Integer.class
                || raw == long.class
                || raw == Long.class
                || raw == short.class
                || raw == Short.class) {
            schema.put("type", "integer");
        } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            schema.put("type", "number");
        } else if (raw == boolean.class || raw == Boolean.class) {
            schema.put("type", "boolean");
        } else if (Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            Object first = sample instanceof Collection<?> c && !c.isEmpty()
                    ? c.iterator().next()
                    : null;
            schema.set("items", value(argument(type, 0), first));
        } else if (Map.class.isAssignableFrom(raw)) {
            if (raw(argument(type, 0)) != String.class) {
                throw new IllegalArgumentException("a map written as JSON needs String keys: " + type);
            }
            schema.put("type", "object");
            Object first = sample instanceof Map<?, ?> m && !m.isEmpty()
                    ? m.values().iterator().next()
                    : null;
            schema.set("additionalProperties", value(argument(type, 1), first));
        } else if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            schema.put("description", "any JSON value");
        } else if (raw.isRecord()) {
            schema.setAll(object(raw, sample));
        } else {
            throw new IllegalArgumentException("no JSON schema for " + type.getTypeName());
        }
        return schema;
    }

    /** Lets a property be null too; "any JSON value" allows null already. */
    private static void allowNull(ObjectNode property) {
        JsonNode type = property.get("type");
        if (type != null && type.isTextual()) {
            property.putArray("type").add(type.asText()).add("null");
        }
    }

    private static boolean omittedWhenNull(Class<?> type, RecordComponent component) {
        JsonInclude onComponent = component.getAccessor().getAnnotation(JsonInclude.class);
        JsonInclude include = onComponent != null ? onComponent : type.getAnnotation(JsonInclude.class);
        return include != null && include.value() == JsonInclude.Include.NON_NULL;
    }

    private static String nameOf(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }

    private static Object valueOf(RecordComponent component, Object record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("no JSON schema for " + type.getTypeName());
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
