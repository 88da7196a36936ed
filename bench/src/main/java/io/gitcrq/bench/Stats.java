package io.gitcrq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

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
    /** One line of a timing table: its name, then median, mean, min, p90 and max of {@code ms}. */
    static void timingRow(String name, double[] ms) {
        System.out.printf(
                Locale.ROOT,
                "  %-52s %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                name,
                median(ms),
                mean(ms),
                min(ms),
                percentile(ms, 90),
                max(ms));
    }

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

    /**
     * What starting a process costs on this machine: the median wall time of running {@code /bin/true} from this
     * JVM, in milliseconds (benchmarks that time whole processes print it beside their absolute figures).
     */
    static double spawnCostMs() throws IOException, InterruptedException {
        double[] ms = new double[21];
        for (int i = -3; i < ms.length; i++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder("/bin/true")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            process.waitFor();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return median(ms);
    }

    /** The load averages of the last 1, 5 and 15 minutes, as /proc/loadavg says them ("?" where it cannot be read). */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "?";
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
