package io.gitcrq.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code strategy.matrix} expansion, as GitHub Actions documents it. */
final class Matrix {

    private Matrix() {}

    /**
     * The combinations of an (evaluated) matrix, in Actions' order: the cross product of the vectors (first key
     * outermost), minus the {@code exclude} entries (an entry removes every combination it matches on all of its
     * keys), then each {@code include} entry is added to every combination whose original values it does not
     * contradict, or appended as a combination of its own when it fits none.
     */
    static List<Map<String, Object>> expand(Object matrix) {
        if (!(matrix instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                    "strategy.matrix must be a mapping (or an expression giving one), got " + Values.toStr(matrix));
        }
        List<String> keys = new ArrayList<>();
        List<List<?>> vectors = new ArrayList<>();
        Object include = null;
        Object exclude = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("include")) {
                include = e.getValue();
            } else if (key.equals("exclude")) {
                exclude = e.getValue();
            } else if (e.getValue() instanceof List<?> vector) {
                if (vector.isEmpty()) {
                    throw new IllegalArgumentException("matrix vector '" + key + "' has no values");
                }
                keys.add(key);
                vectors.add(vector);
            } else {
                throw new IllegalArgumentException(
                        "matrix vector '" + key + "' must be a sequence, got " + Values.toStr(e.getValue()));
            }
        }
        List<Map<String, Object>> combinations = new ArrayList<>();
        if (!keys.isEmpty()) {
            product(keys, vectors, 0, new LinkedHashMap<>(), combinations);
        }
        for (Map<String, Object> entry : entries(exclude, "exclude")) {
            for (String key : entry.keySet()) {
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException("matrix exclude key '" + key + "' is not a matrix vector");
                }
            }
            combinations.removeIf(combination ->
                    entry.entrySet().stream().allMatch(e -> matches(e.getValue(), combination.get(e.getKey()))));
        }
        int original = combinations.size();
        List<Map<String, Object>> added = new ArrayList<>();
        for (Map<String, Object> entry : entries(include, "include")) {
            boolean fitted = false;
            for (int i = 0; i < original; i++) {
                Map<String, Object> combination = combinations.get(i);
                boolean fits = entry.entrySet().stream()
                        .filter(e -> keys.contains(e.getKey()))
                        .allMatch(e -> Objects.equals(e.getValue(), combination.get(e.getKey())));
                if (fits) {
                    fitted = true;
                    combination.putAll(entry);
                }
            }
            if (!fitted) {
                added.add(new LinkedHashMap<>(entry));
            }
        }
        combinations.addAll(added);
        if (combinations.isEmpty()) {
            throw new IllegalArgumentException("the matrix produces no combination");
        }
        return combinations;
    }

    private static void product(
            List<String> keys,
            List<List<?>> vectors,
            int depth,
            LinkedHashMap<String, Object> prefix,
            List<Map<String, Object>> out) {
        if (depth == keys.size()) {
            out.add(new LinkedHashMap<>(prefix));
            return;
        }
        for (Object value : vectors.get(depth)) {
            prefix.put(keys.get(depth), value);
            product(keys, vectors, depth + 1, prefix, out);
            prefix.remove(keys.get(depth));
        }
    }

    /** An exclude value matches when equal, or — for mappings — when each of its keys matches. */
    private static boolean matches(Object wanted, Object actual) {
        if (wanted instanceof Map<?, ?> w && actual instanceof Map<?, ?> a) {
            return w.entrySet().stream().allMatch(e -> matches(e.getValue(), a.get(e.getKey())));
        }
        return Objects.equals(wanted, actual);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Object list, String what) {
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("matrix " + what + " must be a sequence of mappings");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(
                        "matrix " + what + " entries must be mappings, got " + Values.toStr(item));
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** The suffix Actions appends to a matrix job's name: {@code (a, 1)}. */
    static String describe(Map<String, Object> combination) {
        List<String> parts = new ArrayList<>();
        combination
                .values()
                .forEach(v -> parts.add(
                        v instanceof Map || v instanceof List
                                ? Values.toJson(v).replaceAll("\\s+", " ")
                                : Values.toStr(v)));
        return "(" + String.join(", ", parts) + ")";
    }
}
