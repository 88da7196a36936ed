package io.gitcrq.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Expression values are plain Java objects: {@code null}, {@link Boolean}, {@link Double}, {@link String},
 * {@link List} (array) and {@link Map} (object, keys looked up case-insensitively). Coercions follow Actions.
 */
final class Values {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Values() {}

    /** The result of {@code .*}: property access maps over its elements. */
    static final class FilteredArray extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double d) {
            return d != 0 && !d.isNaN();
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }

    /** Java values as expressions see them: numbers as Double, map keys as Strings, lists and maps copied deeply. */
    static Object normalize(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(normalize(x)));
            return out;
        }
        return v == null || v instanceof Boolean || v instanceof String ? v : v.toString();
    }

    /** A yes/no setting ({@code fail-fast}, {@code continue-on-error}): the words true/false as written, else truthiness. */
    static boolean flag(Object v) {
        if (v instanceof String s) {
            String t = s.strip();
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        return truthy(v);
    }

    /** Interpolation into strings. */
    static String toStr(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Double d) {
            return formatNumber(d);
        }
        if (v instanceof List) {
            return "Array";
        }
        if (v instanceof Map) {
            return "Object";
        }
        return v.toString();
    }

    static String formatNumber(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    static double toNumber(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof String s) {
            String t = s.strip();
            return t.isEmpty() ? 0 : parseNumber(t);
        }
        return Double.NaN;
    }

    /** Decimal, exponent, 0x hex or 0o octal; NaN when it is not a number. */
    static double parseNumber(String text) {
        String t = text;
        boolean negative = false;
        if (t.startsWith("-") || t.startsWith("+")) {
            negative = t.startsWith("-");
            t = t.substring(1);
        }
        try {
            double value;
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("0x")) {
                value = Long.parseLong(t.substring(2), 16);
            } else if (lower.startsWith("0o")) {
                value = Long.parseLong(t.substring(2), 8);
            } else if (lower.equals("infinity")) {
                value = Double.POSITIVE_INFINITY;
            } else if (t.isEmpty()
                    || !(Character.isDigit(t.charAt(0)) || t.charAt(0) == '.')
                    || lower.endsWith("d")
                    || lower.endsWith("f")) {
                return Double.NaN;
            } else {
                value = Double.parseDouble(t);
            }
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private enum Kind {
        NULL,
        BOOLEAN,
        NUMBER,
        STRING,
        ARRAY,
        OBJECT
    }

    private static Kind kind(Object v) {
        if (v == null) {
            return Kind.NULL;
        }
        if (v instanceof Boolean) {
            return Kind.BOOLEAN;
        }
        if (v instanceof Double) {
            return Kind.NUMBER;
        }
        if (v instanceof String) {
            return Kind.STRING;
        }
        if (v instanceof List) {
            return Kind.ARRAY;
        }
        return Kind.OBJECT;
    }

    /** Actions' loose equality: strings ignore case, mixed kinds compare as numbers, arrays/objects by identity. */
    static boolean looseEquals(Object a, Object b) {
        Kind ka = kind(a);
        Kind kb = kind(b);
        if (ka == kb) {
            return switch (ka) {
                case NULL -> true;
                case BOOLEAN -> a.equals(b);
                case NUMBER -> ((Double) a).doubleValue() == ((Double) b).doubleValue();
                case STRING -> ((String) a).equalsIgnoreCase((String) b);
                default -> a == b;
            };
        }
        if (ka == Kind.ARRAY || ka == Kind.OBJECT || kb == Kind.ARRAY || kb == Kind.OBJECT) {
            return false;
        }
        return toNumber(a) == toNumber(b);
    }

    /** Negative, zero or positive; {@code null} when the operands do not compare (NaN, arrays, objects). */
    static Integer compare(Object a, Object b) {
        Kind ka = kind(a);
        Kind kb = kind(b);
        if (ka == Kind.STRING && kb == Kind.STRING) {
            return ((String) a).toUpperCase(Locale.ROOT).compareTo(((String) b).toUpperCase(Locale.ROOT));
        }
        if (ka == Kind.ARRAY || ka == Kind.OBJECT || kb == Kind.ARRAY || kb == Kind.OBJECT) {
            return null;
        }
        double x = toNumber(a);
        double y = toNumber(b);
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return null;
        }
        return Double.compare(x, y);
    }

    /** Property lookup: exact key first, then ignoring case. */
    static Object property(Object target, String name) {
        if (target instanceof FilteredArray filtered) {
            FilteredArray out = new FilteredArray();
            for (Object element : filtered) {
                Object value = property(element, name);
                if (value != null) {
                    out.add(value);
                }
            }
            return out;
        }
        if (target instanceof Map<?, ?> map) {
            if (map.containsKey(name)) {
                return map.get(name);
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (name.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    static Object index(Object target, Object index) {
        if (target instanceof List<?> list && !(target instanceof FilteredArray) && index instanceof Double d) {
            int i = (int) Math.floor(d);
            return i >= 0 && i < list.size() ? list.get(i) : null;
        }
        if (index instanceof String s) {
            return property(target, s);
        }
        if (target instanceof FilteredArray filtered && index instanceof Double d) {
            FilteredArray out = new FilteredArray();
            for (Object element : filtered) {
                Object value = index(element, d);
                if (value != null) {
                    out.add(value);
                }
            }
            return out;
        }
        return null;
    }

    static Object star(Object target) {
        FilteredArray out = new FilteredArray();
        if (target instanceof FilteredArray filtered) {
            for (Object element : filtered) {
                addAll(out, element);
            }
        } else {
            addAll(out, target);
        }
        return out;
    }

    private static void addAll(FilteredArray out, Object target) {
        if (target instanceof List<?> list) {
            out.addAll(list);
        } else if (target instanceof Map<?, ?> map) {
            out.addAll(map.values());
        }
    }

    /** {@code toJSON}: two-space indented, as Actions prints it. */
    static String toJson(Object v) {
        StringBuilder out = new StringBuilder();
        writeJson(out, v, "");
        return out.toString();
    }

    private static void writeJson(StringBuilder out, Object v, String indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean || v instanceof Double) {
            out.append(toStr(v));
        } else if (v instanceof String s) {
            quote(out, s);
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                out.append(inner);
                writeJson(out, list.get(i), inner);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            String inner = indent + "  ";
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(inner);
                quote(out, String.valueOf(e.getKey()));
                out.append(": ");
                writeJson(out, e.getValue(), inner);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else {
            quote(out, v.toString());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code fromJSON}. */
    static Object fromJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new Expr.ExpressionException("fromJSON: empty input");
            }
            return fromNode(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Expr.ExpressionException("fromJSON: not valid JSON: '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static Object fromNode(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> out.add(fromNode(n)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), fromNode(e.getValue())));
        return out;
    }
}
