package io.gitcrq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Small helpers the benchmarks share: order statistics and the summary rows run.sh prints at the end. */
final class Stats {

    private Stats() {}

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** The p-th percentile (0..100), nearest rank. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Appends one row (tab-separated: benchmark, gitcrq, reference, ratio, aim) to the summary file named by the
     * system property {@code gitcrq.bench.summary}, when set.
     */
    static void summaryRow(String... cells) {
        String file = System.getProperty("gitcrq.bench.summary");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Files.writeString(
                    Path.of(file),
                    String.join("\t", cells) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write the summary row to " + file + ": " + e.getMessage());
        }
    }

    static int intSetting(String env, int fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip().replace("_", ""));
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be a positive whole number, not '" + value + "'");
        }
    }
}
