package io.gitcrq.audit.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A cgroup (version 2) of its own for one managed command, made under the agent's own cgroup. The command's shell
 * joins it (writes its pid to {@link #procs()}) before it becomes the command, so every process the command starts is
 * in it and the kernel can tell the command's doings from the rest of the host's: the {@code network} source matches
 * its sockets' packets by it ({@link CgroupPacketLog}). At {@link #close()} what still runs in it (a daemon the command
 * left behind) moves back to the agent's cgroup and the cgroup is removed.
 *
 * <p>Needs cgroup v2 mounted (alone, or as the "unified" hierarchy beside version 1) and the right to make a cgroup
 * under the agent's own: root, or a systemd unit with {@code Delegate=yes}.
 */
public final class CommandCgroup implements AutoCloseable {

    /** Names of the cgroups this class makes start with this, which {@link #removeStale} relies on. */
    public static final String PREFIX = "gitcrq-exec-";

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int REMOVE_ATTEMPTS = 20;
    private static final long REMOVE_PAUSE_MILLIS = 50;

    private final Path directory;
    private final String path;
    private final Path parent;

    private CommandCgroup(Path directory, String path, Path parent) {
        this.directory = directory;
        this.path = path;
        this.parent = parent;
    }

    /**
     * Makes the cgroup {@code gitcrq-exec-<name>} (characters other than letters, digits, '.', '_' and '-' become
     * '_') under the agent's own cgroup.
     *
     * @throws AuditSourceUnavailableException when this host has no cgroup v2 or the cgroup cannot be made
     */
    public static CommandCgroup create(String name) throws AuditSourceUnavailableException {
        Hierarchy hierarchy = Hierarchy.own();
        String leaf = PREFIX + UNSAFE.matcher(name).replaceAll("_");
        Path directory = hierarchy.ownDirectory().resolve(leaf);
        try {
            Files.createDirectory(directory);
            // kernfs gives an inode the time it was last read into memory as its mtime unless one was set: set, it
            // stays the cgroup's birth, which removeStale goes by
            Files.setLastModifiedTime(directory, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new AuditSourceUnavailableException("cannot make the command's cgroup " + directory + " (" + e
                    + "): the agent needs root, or a" + " systemd unit with Delegate=yes");
        }
        return new CommandCgroup(directory, hierarchy.relative(directory), hierarchy.ownDirectory());
    }

    /**
     * Removes what an agent stopped without closing (killed) left behind under its own cgroup: the cgroups of this
     * class older than {@code olderThan} that nothing runs in any more, with their {@link CgroupPacketLog} rules, and
     * rules whose cgroup is gone. A command still running keeps its cgroup and rules: another agent may share this
     * cgroup (two on one host, or tests beside a running platform), and a cgroup younger than {@code olderThan} may
     * be one whose command is about to join it. Answers how many cgroups were removed.
     */
    public static int removeStale(Duration olderThan) {
        Optional<Hierarchy> hierarchy = Hierarchy.find();
        if (hierarchy.isEmpty()) {
            return 0;
        }
        Path own = hierarchy.get().ownDirectory();
        Map<String, List<List<String>>> rules =
                CgroupPacketLog.installedUnder(hierarchy.get().relative(own.resolve(PREFIX)));
        int removed = 0;
        try (DirectoryStream<Path> cgroups = Files.newDirectoryStream(own, PREFIX + "*")) {
            Instant before = Instant.now().minus(olderThan);
            for (Path directory : cgroups) {
                String path = hierarchy.get().relative(directory);
                try {
                    if (Files.getLastModifiedTime(directory).toInstant().isAfter(before)
                            || !new CommandCgroup(directory, path, own).pids().isEmpty()) {
                        rules.remove(path); // in use, or may be about to be
                        continue;
                    }
                    CgroupPacketLog.remove(rules.getOrDefault(path, List.of()));
                    rules.remove(path);
                    Files.delete(directory);
                    removed++;
                } catch (IOException e) {
                    rules.remove(path); // something joined it meanwhile: left alone
                }
            }
        } catch (IOException e) {
            return removed;
        }
        rules.values().forEach(CgroupPacketLog::remove); // their cgroups are gone
        return removed;
    }

    /** The cgroup's path from the root of the cgroup v2 hierarchy, as iptables' {@code --path} takes it. */
    public String path() {
        return path;
    }

    /** The directory of the cgroup at {@code path} ({@link #path()}) on this host. */
    public static Path directoryOf(String path) throws AuditSourceUnavailableException {
        return Hierarchy.own().directory(path);
    }

    /** The file a process joins the cgroup through (writing its pid). */
    public Path procs() {
        return directory.resolve("cgroup.procs");
    }

    /** The processes in it now. */
    public List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(procs(), StandardCharsets.US_ASCII)) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    /**
     * Moves what still runs in it to the agent's cgroup and removes it (a process that just ended may keep it busy for
     * a moment, so this tries for about a second).
     *
     * @throws IOException when it could not be removed
     */
    @Override
    public void close() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
            try {
                for (long pid : pids()) {
                    moveOut(pid);
                }
                Files.delete(directory);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(REMOVE_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("cannot remove the command's cgroup " + directory, last);
    }

    private void moveOut(long pid) {
        try {
            Files.writeString(parent.resolve("cgroup.procs"), pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // it ended meanwhile
        }
    }

    @Override
    public String toString() {
        return path;
    }

    /** Where cgroup v2 is mounted and where the agent is in it. */
    record Hierarchy(Path mount, String mountRoot, String ownPath) {

        static Hierarchy own() throws AuditSourceUnavailableException {
            return find().orElseThrow(() -> new AuditSourceUnavailableException(
                    "this host has no cgroup v2 hierarchy mounted (see /proc/self/mountinfo), which the"
                            + " command's own cgroup needs"));
        }

        static Optional<Hierarchy> find() {
            try {
                return parse(
                        Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8),
                        Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /**
         * From {@code /proc/self/mountinfo} (the first {@code cgroup2} mount: its point and the hierarchy's path it
         * shows) and {@code /proc/self/cgroup} (the line {@code 0::<path>}).
         */
        static Optional<Hierarchy> parse(List<String> mountinfo, List<String> cgroups) {
            String own = null;
            for (String line : cgroups) {
                if (line.startsWith("0::")) {
                    own = line.substring(3).trim();
                }
            }
            if (own == null) {
                return Optional.empty();
            }
            for (String line : mountinfo) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] fields = line.substring(0, dash).split(" ");
                String[] after = line.substring(dash + 3).split(" ");
                if (fields.length >= 5 && after.length >= 1 && after[0].equals("cgroup2")) {
                    String root = unescape(fields[3]);
                    if (own.equals(root) || own.startsWith(root.endsWith("/") ? root : root + "/")) {
                        return Optional.of(new Hierarchy(Path.of(unescape(fields[4])), root, own));
                    }
                }
            }
            return Optional.empty();
        }

        Path ownDirectory() {
            if (ownPath.equals(mountRoot)) {
                return mount;
            }
            return mount.resolve(ownPath.substring(mountRoot.equals("/") ? 1 : mountRoot.length() + 1));
        }

        /** The directory of {@code path}, a path from the hierarchy's root as {@link #relative} gives it. */
        Path directory(String path) throws AuditSourceUnavailableException {
            String root = mountRoot.equals("/") ? "" : mountRoot.substring(1) + "/";
            if (!path.startsWith(root) || path.contains("..")) {
                throw new AuditSourceUnavailableException(
                        "cgroup " + path + " is not under this host's cgroup v2 mount " + mount);
            }
            return mount.resolve(path.substring(root.length()));
        }

        /** {@code directory}'s path from the hierarchy's root, without the leading '/'. */
        String relative(Path directory) {
            String below = mount.relativize(directory).toString();
            String root = mountRoot.equals("/") ? "" : mountRoot.substring(1) + "/";
            return root + below;
        }

        /** mountinfo writes a space, tab, newline and backslash in octal. */
        private static String unescape(String field) {
            return field.replace("\\040", " ")
                    .replace("\\011", "\t")
                    .replace("\\012", "\n")
                    .replace("\\134", "\\");
        }
    }
}
