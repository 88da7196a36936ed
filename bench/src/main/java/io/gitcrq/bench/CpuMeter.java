package io.gitcrq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU seconds spent by each part of a pipeline over a timed run, read from /proc: on 2 shared cores the question
 * "where does the time go" is mostly "who burns the CPU". PostgreSQL's part is the backends (and the walsender)
 * of the platform's own databases, found through pg_stat_activity; the rest of the machine is what other work
 * took meanwhile. Linux only; where /proc cannot be read a part counts 0.
 */
final class CpuMeter {

    /** /proc's clock ticks per second (USER_HZ): 100 on every Linux the benches run on. */
    private static final double TICKS = 100.0;

    private final Map<String, List<Long>> parts = new LinkedHashMap<>();
    private final Map<String, Double> before = new LinkedHashMap<>();
    private double machineBefore;

    /** A part made of these processes. */
    CpuMeter part(String name, List<Long> pids) {
        parts.put(name, new ArrayList<>(pids));
        return this;
    }

    /** A part made of the PostgreSQL backends serving these databases at the moment (call after they connected). */
    CpuMeter postgres(String name, Connection any, String... databases) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (PreparedStatement q = any.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ANY (?)")) {
            q.setArray(1, any.createArrayOf("text", databases));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
        }
        return part(name, pids);
    }

    void start() {
        parts.forEach((name, pids) -> before.put(name, seconds(pids)));
        machineBefore = machineBusySeconds();
    }

    /** CPU seconds all parts together spent since {@link #start}. */
    double partsSeconds() {
        return spentByPart().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** "name 1.2 s, …" since {@link #start}, then what the whole machine was busy for. */
    String report() {
        StringBuilder out = new StringBuilder();
        double ours = 0;
        for (Map.Entry<String, Double> part : spentByPart().entrySet()) {
            ours += part.getValue();
            out.append(String.format(Locale.ROOT, "%s %.1f s, ", part.getKey(), part.getValue()));
        }
        double machine = machineBusySeconds() - machineBefore;
        return out.append(String.format(Locale.ROOT, "other work on the machine %.1f s", Math.max(0, machine - ours)))
                .toString();
    }

    /** Each part's CPU seconds since {@link #start}, in the order the parts were added. */
    private Map<String, Double> spentByPart() {
        Map<String, Double> spent = new LinkedHashMap<>();
        parts.forEach((name, pids) -> spent.put(name, seconds(pids) - before.get(name)));
        return spent;
    }

    private static double seconds(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            sum += processSeconds(pid);
        }
        return sum;
    }

    /** utime + stime of the process, all its threads (fields 14 and 15 of /proc/PID/stat). */
    private static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Seconds all CPUs were busy (not idle, not waiting for I/O) since boot, from /proc/stat. */
    private static double machineBusySeconds() {
        try {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
