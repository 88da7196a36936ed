package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code network} source scoped to a command's cgroup: a command in the cgroup and a process outside it talk to
 * the same local server at the same time, over IPv4 and IPv6; only the command's connections are captured, both ways,
 * and nothing of the rules or the cgroup is left afterwards.
 */
@Timeout(120)
class CommandScopedNetworkTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheConnectionsOfTheCommandsCgroupAreCapturedInBothDirections() throws Exception {
        try (ServerSocket server4 = echoServer(InetAddress.getByName("127.0.0.1"));
                ServerSocket server6 = echoServer(InetAddress.getByName("::1"));
                CommandCgroup cgroup =
                        CommandCgroup.create("test-" + ProcessHandle.current().pid())) {
            Path pcap = dir.resolve("command.pcap");
            Recorder rec = new Recorder();
            NetworkSource network = new NetworkSource(pcap);
            SourceCounters counters;
            Socket outside4;
            Socket outside6;
            try {
                network.start(AuditTarget.none().withCgroup(cgroup.path()), rec);
                // The host's own traffic at the same time: the same servers, from this JVM (not in the cgroup).
                outside4 = talk(server4);
                outside6 = talk(server6);
                // The command: its shell joins the cgroup, then talks to both servers.
                Process command = new ProcessBuilder(
                                "bash",
                                "-c",
                                "printf '%s\\n' $$ > \"$0\" || exit 9\n"
                                        + "for addr in 127.0.0.1/$1 ::1/$2; do\n"
                                        + "  exec 3<>/dev/tcp/$addr || exit 8\n"
                                        + "  echo from-the-command >&3; head -c 40 <&3 > /dev/null; exec 3>&-\n"
                                        + "done",
                                cgroup.procs().toString(),
                                Integer.toString(server4.getLocalPort()),
                                Integer.toString(server6.getLocalPort()))
                        .start();
                assertThat(command.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(command.exitValue())
                        .as(new String(command.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isZero();
            } finally {
                counters = network.stop();
            }
            Map<String, Object> summary = rec.summary("network").payload();
            assertThat(counters.captured()).as("%s", summary).isPositive();
            Summaries.check(rec, "network", counters);
            assertThat(summary)
                    .containsEntry("scope", "command")
                    .containsEntry("cgroup", cgroup.path())
                    .containsEntry("linkType", 239)
                    .containsEntry("malformedPackets", 0L);
            assertThat((String) summary.get("interface")).startsWith("nflog:");
            List<AuditRecord> flows = rec.of("network");
            assertThat(flows)
                    .extracting(r -> r.payload().get("port"))
                    .containsExactlyInAnyOrder(server4.getLocalPort(), server6.getLocalPort());
            assertThat(flows)
                    .extracting(r -> r.payload().get("clientPort"))
                    .doesNotContain(outside4.getLocalPort(), outside6.getLocalPort());
            for (AuditRecord flow : flows) {
                assertThat((Long) flow.payload().get("bytesToPeer"))
                        .as("%s", flow.payload())
                        .isPositive();
                assertThat((Long) flow.payload().get("bytesFromPeer"))
                        .as("%s", flow.payload())
                        .isPositive();
            }
            assertThat(flows)
                    .extracting(r -> r.payload().get("peer"))
                    .containsExactlyInAnyOrder(
                            server4.getInetAddress().getHostAddress(),
                            server6.getInetAddress().getHostAddress());
            outside4.close();
            outside6.close();
            assertThat(rulesNaming(cgroup.path())).as("rules left behind").isEmpty();
        }
    }

    /**
     * As an agent killed with commands running leaves them: cgroups with their rules. At the next start those that
     * nothing runs in go with their rules; one whose command still runs (another agent's on the same host) stays,
     * rules and all.
     */
    @Test
    void theLeftoversOfAKilledAgentAreRemovedButACgroupWhoseCommandStillRunsIsKept() throws Exception {
        long pid = ProcessHandle.current().pid();
        CommandCgroup stale = CommandCgroup.create("stale-" + pid);
        CgroupPacketLog staleRules = CgroupPacketLog.install(stale.path());
        CommandCgroup live = CommandCgroup.create("live-" + pid);
        CgroupPacketLog liveRules = CgroupPacketLog.install(live.path());
        Process running = new ProcessBuilder(
                        "bash",
                        "-c",
                        "printf '%s\\n' $$ > \"$0\" && exec sleep 60",
                        live.procs().toString())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (live.pids().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // until the command joined its cgroup
            }
            assertThat(rulesNaming(stale.path())).hasSizeGreaterThanOrEqualTo(3);
            // Older than the bound, as after an agent's restart on a busy host: the cgroups' inodes were evicted, which
            // gave them the time they were read again as their mtime, so that a stale one looked as new as one whose
            // command is about to join, and stayed.
            Thread.sleep(1_500);
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2\n");

            assertThat(CommandCgroup.removeStale(Duration.ofSeconds(1))).isEqualTo(1);

            assertThat(rulesNaming(stale.path())).isEmpty();
            assertThat(stale.procs()).doesNotExist();
            assertThat(rulesNaming(live.path())).hasSizeGreaterThanOrEqualTo(3);
            assertThat(live.pids()).containsExactly(running.pid());
        } finally {
            running.destroyForcibly().waitFor();
            liveRules.close();
            live.close();
            staleRules.close(); // gives its group back; its rules are gone already
        }
        assertThat(rulesNaming(live.path())).isEmpty();
        assertThat(live.procs()).doesNotExist();
    }

    private static ServerSocket echoServer(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, address);
        Thread thread = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            Thread reply = new Thread(() -> echo(s));
                            reply.setDaemon(true);
                            reply.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "echo-" + address.getHostAddress());
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private static void echo(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.write("-".repeat(40).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    /** A connection of this JVM (outside the cgroup) that exchanged data and stays open. */
    private static Socket talk(ServerSocket server) throws IOException {
        Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
        socket.getOutputStream().write("from-the-host\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        assertThat(socket.getInputStream().readNBytes(20)).hasSize(20);
        return socket;
    }

    private static List<String> rulesNaming(String cgroupPath) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String tool : List.of("iptables", "ip6tables")) {
            for (String chain : List.of("OUTPUT", "INPUT")) {
                all.append(ToolProcess.runToEnd(List.of(tool, "-w", "10", "-S", chain), Duration.ofSeconds(30))
                                .output())
                        .append('\n');
            }
        }
        return all.toString().lines().filter(l -> l.contains(cgroupPath)).toList();
    }

    static {
        // The cgroup v2 hierarchy must be there: a host without it cannot scope the source (no silent skip here).
        assertThat(CommandCgroup.Hierarchy.find()).as("cgroup v2 mounted").isPresent();
        assertThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))
                        || ToolProcess.which("iptables").isPresent())
                .as("iptables installed")
                .isTrue();
    }
}
