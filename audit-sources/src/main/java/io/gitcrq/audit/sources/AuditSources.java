package io.gitcrq.audit.sources;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Factory by kind, for sources chosen per launch (exec-agent). */
public final class AuditSources {

    /** In priority order. */
    public static final List<String> KINDS = List.of("file", "process", "syscall", "route", "network", "http");

    private AuditSources() {}

    /**
     * A new, unstarted source.
     *
     * @param workDir where sources keep artifacts ({@code network} writes {@code workDir/capture.pcap})
     */
    public static AuditSource create(String kind, Path workDir) {
        return switch (kind) {
            case "file" -> new FileSource();
            case "process" -> new ProcessTreeSource();
            case "syscall" -> new SyscallSource();
            case "route" -> new RouteSource();
            case "network" -> new NetworkSource(workDir.resolve("capture.pcap"));
            case "http" -> new HttpProxySource();
            default -> throw new IllegalArgumentException("unknown audit source kind '" + kind + "', known: " + KINDS);
        };
    }

    /**
     * A new, unstarted {@code process} or {@code syscall} source that follows the strace the managed command is to be
     * started under ({@link StraceFollowing#straceCommand()}), writing {@code output}; {@code dir} is where the command
     * starts. Only where {@link #followUnavailable()} is empty.
     */
    public static StraceFollowing following(String kind, Path output, Path dir) {
        return switch (kind) {
            case "process" -> ProcessTreeSource.following(output, dir);
            case "syscall" -> SyscallSource.following(output);
            default -> throw new IllegalArgumentException("audit source '" + kind + "' traces no processes");
        };
    }

    /**
     * Why the tracing kinds cannot follow a strace the command is started under on this host (strace missing, older
     * than 5.3 so without {@code --seccomp-bpf}, or not allowed to trace), or empty. Checked once; where it is not
     * empty they can still attach ({@code strace -p}), at every system call's cost.
     */
    public static Optional<String> followUnavailable() {
        return StraceTracer.followUnavailable();
    }

    /**
     * Why a kind cannot run on this host (missing tool and the Debian package to install), or empty. {@code file}
     * always runs (WatchService fallback without inotify-tools; the message then says what is degraded).
     */
    public static Optional<String> unavailable(String kind) {
        return switch (kind) {
            case "file" ->
                ToolProcess.which("inotifywait").isPresent()
                        ? Optional.empty()
                        : Optional.of(
                                "file: inotifywait missing (Debian package inotify-tools) - using Java WatchService,"
                                        + " renames are reported as deleted+created");
            case "process" ->
                EbpfProcessSource.unavailable().isEmpty() ? Optional.empty() : missing(kind, "strace", "strace");
            case "syscall" -> missing(kind, "strace", "strace");
            case "route" -> missing(kind, "ip", "iproute2");
            case "network" -> missing(kind, "tcpdump", "tcpdump");
            case "http" -> Optional.empty();
            default -> Optional.of("unknown audit source kind '" + kind + "'");
        };
    }

    private static Optional<String> missing(String kind, String tool, String pkg) {
        return ToolProcess.which(tool).isPresent()
                ? Optional.empty()
                : Optional.of(kind + ": '" + tool + "' missing (Debian package " + pkg + ")");
    }
}
