package io.gitcrq.testsupport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a service's {@code /q/metrics} (Prometheus text format 0.0.4), for tests to read samples from: by
 * name and labels, summed over the samples that match.
 */
public final class Scrape {

    /** One line: name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int end = parseLabels(line, brace + 1, labels);
                rest = line.substring(end + 1).strip();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            String value = rest.split(" ")[0];
            samples.add(new Sample(name, labels, parseValue(value)));
        }
        return new Scrape(samples);
    }

    /** Reads {@code a="x",b="y"} from {@code from}; returns the index of the closing brace. */
    private static int parseLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    /** Every sample named {@code name} whose labels include {@code labels} ("k", "v", ...). */
    public List<Sample> samples(String name, String... labels) {
        Predicate<Sample> match = s -> s.name().equals(name);
        for (int i = 0; i + 1 < labels.length; i += 2) {
            String key = labels[i];
            String value = labels[i + 1];
            match = match.and(s -> value.equals(s.labels().get(key)));
        }
        return samples.stream().filter(match).toList();
    }

    /** The sum of the matching samples' values; 0 when none matches. */
    public double sum(String name, String... labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Whether at least one sample matches. */
    public boolean has(String name, String... labels) {
        return !samples(name, labels).isEmpty();
    }

    public List<Sample> all() {
        return samples;
    }
}
