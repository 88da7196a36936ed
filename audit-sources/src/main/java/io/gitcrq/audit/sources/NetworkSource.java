package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.NetworkFlow;
import io.gitcrq.model.audit.NetworkSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code network}: the managed command's traffic when the target names its cgroup (scope {@code command}):
 * {@link CgroupPacketLog} copies the packets of the connections its processes make or answer to an NFLOG group, read
 * by {@code tcpdump -i nflog:G -n -U --immediate-mode -Z root -w PCAP}, so the host's other traffic never enters the
 * capture. Without a cgroup (scope {@code host}, which the host must choose): {@code tcpdump -i IF … -w PCAP
 * [port P or port Q ...]}, every packet of the interface (inside {@code ip netns exec NS} when the target names a
 * namespace). The pcap is kept at the given path. At stop tcpdump is terminated
 * (SIGTERM, it prints its statistics), the pcap is read ({@link PcapFlows}) and one record per flow is published:
 * {@code {protocol, peer, port, client, clientPort, packets, bytes, bytesToPeer, bytesFromPeer, firstSeenMicros,
 * lastSeenMicros, interface, pcap}} (bytes = IP lengths, so headers included).
 *
 * <p>{@code captured} = packets read from the pcap; {@code dropped} = tcpdump's "packets dropped by kernel" (plus
 * "dropped by interface" when printed) + malformed/truncated pcap records. Flow records are delivered only at stop.
 * Limits: flows are summarised, not streamed; snap length is tcpdump's default; needs tcpdump and CAP_NET_RAW.
 */
public final class NetworkSource extends AbstractAuditSource {

    private static final Pattern STAT =
            Pattern.compile("^(\\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)$");

    private final Path pcap;
    private ToolProcess tool;
    private CgroupPacketLog packetLog;
    private String cgroup;
    private String iface;
    private List<Integer> ports = List.of();
    private final CountDownLatch listening = new CountDownLatch(1);
    private final List<String> toolMessages = new ArrayList<>();
    private final Map<String, Long> stats = new LinkedHashMap<>();
    private PcapFlows flows;
    private String readError;

    /** @param pcap where tcpdump writes (kept after stop) */
    public NetworkSource(Path pcap) {
        this(pcap, DEFAULT_QUEUE_CAPACITY);
    }

    public NetworkSource(Path pcap, int queueCapacity) {
        super("network", queueCapacity);
        this.pcap = pcap.toAbsolutePath();
    }

    public Path pcap() {
        return pcap;
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        Path tcpdump = ToolProcess.require("tcpdump", "tcpdump", kind());
        Files.createDirectories(pcap.getParent());
        cgroup = target.cgroup();
        ports = target.ports();
        List<String> filter = new ArrayList<>();
        if (cgroup != null) { // the kernel chose the packets; ports only name the service side of a flow
            packetLog = CgroupPacketLog.install(cgroup);
            iface = "nflog:" + packetLog.group();
        } else {
            iface = target.networkInterface() == null ? "any" : target.networkInterface();
            for (int i = 0; i < ports.size(); i++) {
                if (i > 0) {
                    filter.add("or");
                }
                filter.add("port");
                filter.add(Integer.toString(ports.get(i)));
            }
        }
        List<String> cmd = new ArrayList<>(List.of(
                tcpdump.toString(), "-i", iface, "-n", "-U", "--immediate-mode", "-Z", "root", "-w", pcap.toString()));
        cmd.addAll(filter);
        try {
            tool = ToolProcess.start(
                    "tcpdump", cgroup != null ? cmd : ToolProcess.inNetns(target.netns(), cmd), null, this::stderr);
            if (!listening.await(10, TimeUnit.SECONDS)) {
                tool.stop(Duration.ofSeconds(1));
                throw new IOException("tcpdump did not start listening on " + iface + ": " + toolMessages);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.stop(Duration.ofSeconds(1));
            closePacketLog();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            closePacketLog();
            throw e;
        }
    }

    /** Removes the rules; what could not be set up or removed becomes part of the summary's tool messages. */
    private void closePacketLog() {
        if (packetLog != null) {
            packetLog.close();
            synchronized (stats) {
                toolMessages.addAll(packetLog.warnings());
            }
            packetLog = null;
        }
    }

    private void stderr(String line) {
        if (Boolean.getBoolean("gitcrq.audit.debug")) {
            System.err.println("[tcpdump] " + line);
        }
        if (line.startsWith("tcpdump: listening on")) {
            listening.countDown();
            return;
        }
        Matcher m = STAT.matcher(line.trim());
        synchronized (stats) {
            if (m.matches()) {
                stats.put(m.group(2), Long.parseLong(m.group(1)));
            } else if (toolMessages.size() < 20) {
                toolMessages.add(line);
            }
        }
    }

    @Override
    protected void doStop() {
        if (tool == null) {
            return;
        }
        try {
            Thread.sleep(100); // packets of the last moments still on their way through the capture socket
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tool.stop(Duration.ofSeconds(5));
        closePacketLog();
        long kernelDrops;
        synchronized (stats) {
            kernelDrops = stats.getOrDefault("dropped by kernel", 0L) + stats.getOrDefault("dropped by interface", 0L);
        }
        countDropped(SourceSummary.TOOL_OVERRUN, kernelDrops);
        try {
            flows = PcapFlows.read(pcap, ports);
        } catch (IOException e) {
            readError = e.toString();
            return;
        }
        countCaptured(flows.packets);
        countDropped(SourceSummary.UNPARSABLE, flows.malformed);
        emitFlows(flows);
    }

    /** One record per flow read from the pcap. */
    void emitFlows(PcapFlows read) {
        for (NetworkFlow f : read.flows(iface, pcap.toString())) {
            emitCarrying(AuditRecord.of(f), f.packets());
        }
    }

    @Override
    protected NetworkSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new NetworkSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    stopError,
                    sinkFailures);
        }
        Map<String, Long> tcpdump;
        List<String> messages;
        synchronized (stats) {
            tcpdump = new LinkedHashMap<>(stats);
            messages = toolMessages.isEmpty() ? null : List.copyOf(toolMessages);
        }
        boolean read = flows != null;
        return new NetworkSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                iface,
                cgroup != null ? NetworkSummary.COMMAND : NetworkSummary.HOST,
                cgroup,
                pcap.toString(),
                tcpdump,
                read ? flows.flows.size() : null,
                read ? flows.linkType : null,
                read ? flows.ipPackets : null,
                read ? flows.otherPackets : null,
                read ? flows.malformed : null,
                readError,
                messages,
                null,
                sinkFailures);
    }
}
