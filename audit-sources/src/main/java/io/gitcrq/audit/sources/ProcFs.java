package io.gitcrq.audit.sources;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small /proc helpers (Linux only). */
final class ProcFs {

    private ProcFs() {}

    /** Parent pid from /proc/PID/stat, or null when the process is gone. */
    static Long ppid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String cwd(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"))
                    .toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** All current descendants of {@code root} (not including it). */
    static List<Long> descendants(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(n);
                Long pp = ppid(pid);
                if (pp != null) {
                    children.computeIfAbsent(pp, k -> new ArrayList<>()).add(pid);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(children.getOrDefault(root, List.of()));
        while (!todo.isEmpty()) {
            long p = todo.pop();
            out.add(p);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return out;
    }
}
