package io.gitcrq.audit.sources;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a source watches. Every source uses only the parts it needs:
 * <ul>
 *   <li>{@code rootPid} - the managed command (e.g. the tmux pane's process); {@code process} and {@code syscall}</li>
 *   <li>{@code directories} - trees to watch recursively; {@code file}</li>
 *   <li>{@code ports} - ports of interest; {@code network} uses them as capture filter and to name the peer side</li>
 *   <li>{@code networkInterface} - capture interface for {@code network} (default {@code any})</li>
 *   <li>{@code netns} - named network namespace ({@code ip netns}) for {@code route} and {@code network}</li>
 *   <li>{@code cgroup} - the managed command's own cgroup ({@link CommandCgroup#path()}): {@code network} then
 *       captures the packets of its processes' connections alone</li>
 * </ul>
 */
public record AuditTarget(
        Long rootPid,
        List<Path> directories,
        List<Integer> ports,
        String networkInterface,
        String netns,
        String cgroup) {

    public AuditTarget {
        directories = directories == null ? List.of() : List.copyOf(directories);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public static AuditTarget none() {
        return new AuditTarget(null, List.of(), List.of(), null, null, null);
    }

    public static AuditTarget pid(long pid) {
        return none().withPid(pid);
    }

    public static AuditTarget directories(Path... dirs) {
        return none().withDirectories(List.of(dirs));
    }

    public AuditTarget withPid(long pid) {
        return new AuditTarget(pid, directories, ports, networkInterface, netns, cgroup);
    }

    public AuditTarget withDirectories(List<Path> dirs) {
        return new AuditTarget(rootPid, dirs, ports, networkInterface, netns, cgroup);
    }

    public AuditTarget withPorts(Integer... p) {
        return new AuditTarget(rootPid, directories, List.of(p), networkInterface, netns, cgroup);
    }

    public AuditTarget withInterface(String iface) {
        return new AuditTarget(rootPid, directories, ports, iface, netns, cgroup);
    }

    public AuditTarget withNetns(String ns) {
        return new AuditTarget(rootPid, directories, ports, networkInterface, ns, cgroup);
    }

    public AuditTarget withCgroup(String path) {
        return new AuditTarget(rootPid, directories, ports, networkInterface, netns, path);
    }

    long requirePid() {
        return Objects.requireNonNull(rootPid, "this source needs AuditTarget.rootPid");
    }
}
