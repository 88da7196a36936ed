package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One managed command talks TCP to a local server; strace summarises it, tcpdump on lo captures the flow. */
@Timeout(60)
class SyscallAndNetworkSourceTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void connectIsSummarisedAndTheFlowIsCaptured() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Thread srv = new Thread(
                    () -> {
                        try (Socket s = server.accept()) {
                            BufferedReader r = new BufferedReader(
                                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                            String line = r.readLine();
                            OutputStream out = s.getOutputStream();
                            out.write(
                                    ("pong " + line + " " + "x".repeat(2000) + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        } catch (Exception ignored) {
                            // test fails on the client side then
                        }
                    },
                    "test-tcp-server");
            srv.setDaemon(true);
            srv.start();

            Path pcap = dir.resolve("capture/lo.pcap");
            Process cmd = new ProcessBuilder(
                            "bash",
                            "-c",
                            "read x; exec 3<>/dev/tcp/127.0.0.1/" + port + "; echo ping >&3; head -c 5 <&3; exec 3>&-;"
                                    + " cat /etc/hostname > /dev/null")
                    .directory(dir.toFile())
                    .start();
            Recorder rec = new Recorder();
            SyscallSource syscalls = new SyscallSource();
            NetworkSource network = new NetworkSource(pcap);
            SourceCounters sc;
            SourceCounters nc;
            try {
                network.start(AuditTarget.none().withInterface("lo").withPorts(port), rec);
                syscalls.start(AuditTarget.pid(cmd.pid()), rec);
                try (OutputStream in = cmd.getOutputStream()) {
                    in.write('\n');
                }
                assertThat(cmd.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("pong ");
            } finally {
                sc = syscalls.stop();
                nc = network.stop();
                cmd.destroyForcibly();
            }
            // strace: one summary per process, the shell's carries the connect target
            Summaries.check(rec, "syscall", sc);
            AuditRecord bash = rec.of("syscall").stream()
                    .filter(r -> Long.valueOf(cmd.pid()).equals(r.payload().get("pid")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(rec.toString()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> connects =
                    (List<Map<String, Object>>) bash.payload().get("connects");
            assertThat(connects)
                    .anySatisfy(c -> assertThat(c)
                            .containsEntry("family", "AF_INET")
                            .containsEntry("address", "127.0.0.1")
                            .containsEntry("port", port)
                            .containsEntry("result", "0"));
            @SuppressWarnings("unchecked")
            Map<String, Long> counts = (Map<String, Long>) bash.payload().get("syscalls");
            assertThat(counts).containsKeys("connect", "socket");
            assertThat(bash.payload()).containsEntry("exitCode", 0);
            // children (head, cat) have their own records with args, paths and exit codes
            AuditRecord cat = rec.of("syscall").stream()
                    .filter(r ->
                            List.of("cat", "/etc/hostname").equals(r.payload().get("args")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(rec.toString()));
            assertThat((List<Object>) cat.payload().get("paths")).contains("/etc/hostname");
            assertThat(cat.payload()).containsEntry("ppid", cmd.pid()).containsEntry("exitCode", 0);

            // tcpdump: the pcap is kept, the flow has the server port and bytes both ways
            Summaries.check(rec, "network", nc);
            assertThat(pcap).exists();
            assertThat(Files.size(pcap)).isPositive();
            AuditRecord flow = rec.of("network").stream()
                    .filter(r -> Integer.valueOf(port).equals(r.payload().get("port")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(rec.toString()));
            assertThat(flow.payload())
                    .containsEntry("protocol", "tcp")
                    .containsEntry("peer", "127.0.0.1")
                    .containsEntry("interface", "lo");
            assertThat((Long) flow.payload().get("bytes")).isPositive();
            assertThat((Long) flow.payload().get("bytesFromPeer")).isGreaterThan(2000L);
            assertThat((Long) flow.payload().get("bytesToPeer")).isPositive();
            assertThat((Long) flow.payload().get("packets")).isGreaterThanOrEqualTo(4L);
            assertThat(rec.summary("network").payload()).containsKey("tcpdump");
            @SuppressWarnings("unchecked")
            Map<String, Long> stats =
                    (Map<String, Long>) rec.summary("network").payload().get("tcpdump");
            assertThat(stats).as(rec.summary("network").toString()).containsKey("dropped by kernel");
        }
    }

    @Test
    void anyInterfaceCaptureUsesLinuxCookedHeaders() throws Exception {
        Path pcap = dir.resolve("any.pcap");
        Recorder rec = new Recorder();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            NetworkSource network = new NetworkSource(pcap);
            SourceCounters nc;
            try {
                network.start(AuditTarget.none().withPorts(port), rec); // interface defaults to "any"
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                        Socket accepted = server.accept()) {
                    client.getOutputStream().write(new byte[1000]);
                    client.getOutputStream().flush();
                    assertThat(accepted.getInputStream().readNBytes(1000)).hasSize(1000);
                }
            } finally {
                nc = network.stop();
            }
            Summaries.check(rec, "network", nc);
            assertThat(rec.summary("network").payload())
                    .containsEntry("interface", "any")
                    .containsEntry("malformedPackets", 0L);
            assertThat(((Number) rec.summary("network").payload().get("linkType")).intValue())
                    .isIn(113, 276);
            assertThat(rec.of("network")).anySatisfy(r -> {
                assertThat(r.payload()).containsEntry("port", port).containsEntry("protocol", "tcp");
                assertThat((Long) r.payload().get("bytesToPeer")).isGreaterThan(1000L);
            });
        }
    }

    @Test
    void unreachableToolSaysWhichPackageIsMissing() {
        AuditSourceUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                AuditSourceUnavailableException.class,
                () -> ToolProcess.require("gitcrq-no-such-tool", "gitcrq-pkg", "test"));
        assertThat(e.getMessage()).contains("gitcrq-pkg");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFollowedCommandIsSummarisedPerProcessFromItsFirstExec() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                AuditSources.followUnavailable().isEmpty());
        Path output = dir.resolve("trace.strace");
        StraceFollowing syscalls = AuditSources.following("syscall", output, dir);
        Recorder rec = new Recorder();
        SourceCounters c;
        try {
            syscalls.start(AuditTarget.none(), rec);
            List<String> program = new java.util.ArrayList<>(syscalls.straceCommand());
            program.addAll(List.of("sh", "-c", "cat /etc/hostname > /dev/null; exit 4"));
            Process cmd = new ProcessBuilder(program).directory(dir.toFile()).start();
            assertThat(cmd.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(cmd.exitValue()).isEqualTo(4);
        } finally {
            c = syscalls.stop();
        }
        Summaries.check(rec, "syscall", c);
        assertThat(rec.of("syscall")).anySatisfy(r -> {
            assertThat(r.payload())
                    .containsEntry("args", List.of("sh", "-c", "cat /etc/hostname > /dev/null; exit 4"))
                    .containsEntry("exitCode", 4);
        });
        assertThat(rec.of("syscall")).anySatisfy(r -> {
            assertThat(r.payload())
                    .containsEntry("args", List.of("cat", "/etc/hostname"))
                    .containsEntry("exitCode", 0);
            assertThat((List<String>) r.payload().get("paths")).contains("/etc/hostname");
        });
        assertThat(rec.summary("syscall").payload())
                .containsEntry("mode", "followed")
                .containsEntry("seccompBpf", true);
    }
}
