package io.gitcrq.model.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON text of a value: the one spelling of it that audit hashes are computed over, so that
 * anybody can recompute a hash from the value alone (an exported JSON line, a database row). The rules:
 * <ul>
 *   <li>no whitespace outside strings; objects {@code {"k":v,...}}, arrays {@code [v,...]};</li>
 *   <li>object keys sorted by Unicode code point, at every level (keys are unique);</li>
 *   <li>strings in double quotes; {@code "} and {@code \} escaped as {@code \"} and {@code \\}; backspace,
 *       form feed, newline, carriage return and tab as {@code \b \f \n \r \t}; every other character outside
 *       printable ASCII (U+0020 to U+007E) as {@code \}{@code uXXXX} with four lower-case hex digits of its
 *       UTF-16 code unit(s) (so a character beyond U+FFFF is a surrogate pair); {@code /} is not escaped. The
 *       text is therefore pure ASCII;</li>
 *   <li>numbers by their exact decimal value in plain notation, shortest: no exponent, no leading {@code +},
 *       no trailing zeros after the decimal point and no point when the value is whole ({@code 1.50} → {@code 1.5},
 *       {@code 1e3} → {@code 1000}, {@code 2.0} → {@code 2}, {@code -0} → {@code 0}, {@code 1E-7} → {@code 0.0000001});</li>
 *   <li>{@code true}, {@code false}, {@code null} as such.</li>
 * </ul>
 * Apart from numbers this is what Python's {@code json.dumps(value, sort_keys=True, separators=(",", ":"))}
 * writes (with {@code ensure_ascii} left on).
 */
public final class Canonical {

    /** Reads JSON keeping every number exact (decimals as BigDecimal, never through a double). */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Orders strings by Unicode code point (String.compareTo orders by UTF-16 unit, which differs above U+FFFF). */
    public static final Comparator<String> CODE_POINT_ORDER = Canonical::compareCodePoints;

    private Canonical() {}

    /** Parses JSON text with exact numbers. */
    public static JsonNode parse(String json) {
        try {
            return EXACT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The canonical text of JSON text. */
    public static String of(String json) {
        return of(parse(json));
    }

    /** The canonical text of a JSON tree (read it with {@link #parse} to keep decimals exact). */
    public static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    /** Appends the canonical text of {@code node}. */
    public static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(CODE_POINT_ORDER);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(keys.get(i), out);
                out.append(':');
                write(node.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            for (int i = 0; elements.hasNext(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(elements.next(), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(number(node.decimalValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else {
            // Binary or POJO nodes never come out of a JSON parser.
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    /** An object written canonically from its fields (values already JSON trees). */
    public static String object(Map<String, JsonNode> fields) {
        StringBuilder out = new StringBuilder();
        List<String> keys = new ArrayList<>(fields.keySet());
        keys.sort(CODE_POINT_ORDER);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(keys.get(i), out);
            out.append(':');
            write(fields.get(keys.get(i)), out);
        }
        return out.append('}').toString();
    }

    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
