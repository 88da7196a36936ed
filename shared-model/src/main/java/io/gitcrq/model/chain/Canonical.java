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

    /**
     * JSON text known to be canonical: what an event's signed form and its chain form both embed of its payload, so
     * that the payload is written canonically once for both (and never parsed again from its text).
     */
    public static final class Text {
        private final String text;

        private Text(String text) {
            this.text = text;
        }

        /** The canonical text. */
        public String text() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && t.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The canonical text of a JSON tree, as a {@link Text}. */
    public static Text text(JsonNode node) {
        return new Text(of(node));
    }

    /** The canonical text of JSON text (parsed with exact numbers), as a {@link Text}. */
    public static Text text(String json) {
        return new Text(of(json));
    }

    /** The canonical text of a JSON tree (read it with {@link #parse} to keep decimals exact). */
    public static String of(JsonNode node) {
        // An audit payload is a few hundred characters: grown from the default 16, it was copied five times.
        StringBuilder out = new StringBuilder(512);
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

    /** The last second of year 9999 plus one: the fast path of {@link #instant} covers 1970 to 9999. */
    private static final long YEAR_10000 = 253_402_300_800L;

    /**
     * {@code Instant.toString()} of an instant (ISO-8601 UTC, seconds always, a fraction only when non-zero, in
     * groups of three digits), written directly for years 1970 to 9999: the formatter behind {@code toString}
     * cost as much as the rest of an event's signed form. Any other instant goes through {@code toString}.
     */
    static String instant(java.time.Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return t.toString();
        }
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(seconds / 86_400);
        int ofDay = (int) (seconds % 86_400);
        int nano = t.getNano();
        char[] out = new char[30];
        int n = 0;
        n = digits(date.getYear(), 4, out, n);
        out[n++] = '-';
        n = digits(date.getMonthValue(), 2, out, n);
        out[n++] = '-';
        n = digits(date.getDayOfMonth(), 2, out, n);
        out[n++] = 'T';
        n = digits(ofDay / 3600, 2, out, n);
        out[n++] = ':';
        n = digits(ofDay / 60 % 60, 2, out, n);
        out[n++] = ':';
        n = digits(ofDay % 60, 2, out, n);
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                n = digits(nano / 1_000_000, 3, out, n);
            } else if (nano % 1_000 == 0) {
                n = digits(nano / 1_000, 6, out, n);
            } else {
                n = digits(nano, 9, out, n);
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    private static int digits(int value, int width, char[] out, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    static void string(String value, StringBuilder out) {
        out.append('"');
        int plain = 0;
        while (plain < value.length() && printable(value.charAt(plain))) {
            plain++;
        }
        // Most strings need no escape at all: appended whole rather than one character at a time.
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
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

    /** Printable ASCII other than {@code "} and {@code \\}: written as it is. */
    private static boolean printable(char c) {
        return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
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
