package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.RouteChange;
import io.gitcrq.model.audit.RouteSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code route}: routes added/deleted, from {@code ip monitor route} (inside {@code ip netns exec NS} when the
 * target names a namespace). Records: {@code {action: added|deleted, type, destination, gateway, device, table,
 * protocol, scope, source, metric, netns, line}} ({@code table} is {@code main} when ip omits it).
 *
 * <p>Start returns once the monitor's netlink socket is subscribed (checked in /proc/PID/net/netlink).
 * {@code dropped} = unparsable lines + the netlink socket's own drop counter (read just before stop).
 * Limits: needs iproute2; only route events (not addresses/links); ip prints IPv4 and IPv6 routes of all tables.
 */
public final class RouteSource extends AbstractAuditSource {

    private static final Set<String> TYPES = Set.of(
            "unicast",
            "local",
            "broadcast",
            "multicast",
            "unreachable",
            "prohibit",
            "blackhole",
            "throw",
            "nat",
            "anycast");

    private ToolProcess tool;
    private String netns;
    private long unparsable;
    private long netlinkDrops;
    private final List<String> toolErrors = new ArrayList<>();

    public RouteSource() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public RouteSource(int queueCapacity) {
        super("route", queueCapacity);
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        Path ip = ToolProcess.require("ip", "iproute2", kind());
        netns = target.netns();
        List<String> cmd = ToolProcess.inNetns(netns, List.of(ip.toString(), "monitor", "route"));
        tool = ToolProcess.start("ip-monitor", cmd, this::line, l -> {
            synchronized (toolErrors) {
                if (toolErrors.size() < 20) {
                    toolErrors.add(l);
                }
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!subscribed(tool.pid())) {
            if (!tool.isAlive() || System.nanoTime() > deadline) {
                tool.stop(Duration.ofSeconds(1));
                throw new IOException("ip monitor route did not start" + (netns != null ? " in netns " + netns : "")
                        + ": " + toolErrors);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Socket inodes of the process; a subscribed netlink socket has non-zero groups. */
    private static Set<String> socketInodes(long pid) {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : ds) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("socket:[")) {
                        out.add(t.substring(8, t.length() - 1));
                    }
                } catch (IOException ignored) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return out;
    }

    /** Row of /proc/PID/net/netlink for the monitor's subscribed socket: [groups, drops] or null. */
    private static long[] netlinkRow(long pid) {
        Set<String> inodes = socketInodes(pid);
        if (inodes.isEmpty()) {
            return null;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "netlink"))) {
                String[] f = l.trim().split("\\s+");
                // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
                if (f.length >= 10 && inodes.contains(f[9]) && !"00000000".equals(f[3])) {
                    return new long[] {Long.parseLong(f[3], 16), Long.parseLong(f[8])};
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return null;
    }

    private static boolean subscribed(long pid) {
        return netlinkRow(pid) != null;
    }

    synchronized void line(String raw) {
        String line = raw.trim();
        if (line.isEmpty()) {
            return;
        }
        String[] t = line.split("\\s+");
        int i = 0;
        String action = "added";
        if (t[i].equals("Deleted")) {
            action = "deleted";
            i++;
        }
        if (i < t.length && t[i].equals("Unknown")) {
            unparsable++;
            countDropped(SourceSummary.UNPARSABLE, 1);
            return;
        }
        String type = "unicast";
        if (i < t.length && TYPES.contains(t[i])) {
            type = t[i++];
        }
        if (i >= t.length) {
            unparsable++;
            countDropped(SourceSummary.UNPARSABLE, 1);
            return;
        }
        String destination = t[i++];
        String gateway = null;
        String device = null;
        String protocol = null;
        String scope = null;
        String source = null;
        String metric = null;
        String table = "main";
        for (; i < t.length; i++) {
            String k = t[i];
            String v = i + 1 < t.length ? t[i + 1] : null;
            switch (k) {
                case "via" -> {
                    gateway = "inet".equals(v) || "inet6".equals(v) ? t[i + 2] : v;
                    i++;
                }
                case "dev" -> {
                    device = v;
                    i++;
                }
                case "table" -> {
                    table = v;
                    i++;
                }
                case "proto" -> {
                    protocol = v;
                    i++;
                }
                case "scope" -> {
                    scope = v;
                    i++;
                }
                case "src" -> {
                    source = v;
                    i++;
                }
                case "metric" -> {
                    metric = v;
                    i++;
                }
                default -> {
                    // flags (linkdown, onlink...) and pref/mtu etc. stay in "line"
                }
            }
        }
        emit(new RouteChange(
                action, type, destination, gateway, device, protocol, scope, source, metric, table, netns, line));
    }

    @Override
    protected void doStop() {
        if (tool != null) {
            long[] row = netlinkRow(tool.pid());
            if (row != null) {
                netlinkDrops = row[1];
                countDropped(SourceSummary.TOOL_OVERRUN, netlinkDrops);
            }
            try {
                Thread.sleep(100); // events already queued on the socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tool.stop(Duration.ofSeconds(2), ToolProcess.DEFAULT_DRAIN);
            countDropped(SourceSummary.NOT_DRAINED, tool.skippedLines());
            if (!tool.drained()) {
                fellBehind();
            }
        }
    }

    @Override
    protected RouteSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new RouteSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    null,
                    null,
                    null,
                    null,
                    stopError,
                    sinkFailures);
        }
        return new RouteSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                unparsable,
                netlinkDrops,
                netns,
                toolErrors.isEmpty() ? null : List.copyOf(toolErrors),
                null,
                sinkFailures);
    }
}
