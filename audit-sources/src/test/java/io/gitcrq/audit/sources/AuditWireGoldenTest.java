package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gitcrq.model.contract.Golden;
import io.gitcrq.model.event.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire form of every record the audit sources make, pinned: each source's own code turns fixed input (tool
 * output lines, a pcap, HTTP exchanges through the real proxy) into records, and their payloads as JSON (what
 * exec-agent publishes, before it adds execId and logPath) must equal golden/audit/KIND.json. What changes from run
 * to run (temporary directory, ports, durations) is replaced by fixed values first.
 */
@Timeout(60)
class AuditWireGoldenTest {

    /** Process ids above Linux's largest pid_max: no such process, so /proc says nothing about them. */
    private static final long PARENT = 4_194_400L;

    private static final long CHILD = 4_194_401L;
    private static final String WORK = "/work/demo";
    private static final SourceCounters COUNTERS = new SourceCounters(
            15,
            12,
            3,
            java.util.Map.of(
                    io.gitcrq.model.audit.SourceSummary.QUEUE_FULL, 1L,
                    io.gitcrq.model.audit.SourceSummary.UNPARSABLE, 1L,
                    io.gitcrq.model.audit.SourceSummary.NOT_DRAINED, 1L),
            true);
    private static final String STOP_ERROR = "java.lang.IllegalStateException: tool did not stop";

    @TempDir
    Path dir;

    static Path golden(String kind) {
        return Golden.goldenDirectory().resolve("audit/" + kind + ".json");
    }

    @Test
    void fileRecords() throws Exception {
        FileSource source = new FileSource();
        set(source, "mechanism", "inotifywait");
        Path a = Files.writeString(dir.resolve("a.txt"), "hello\n");
        source.toolLine("|CREATE|" + a, false);
        source.toolLine("|CLOSE_WRITE,CLOSE|" + a, false);
        source.toolLine("|CREATE,ISDIR|" + dir.resolve("sub"), false);
        Files.writeString(a, "hello again\n");
        source.toolLine("|CLOSE_WRITE,CLOSE|" + a, false);
        Path b = Files.move(a, dir.resolve("b.txt"));
        source.toolLine("41|MOVED_FROM|" + a, false);
        source.toolLine("41|MOVED_TO|" + b, false);
        source.toolLine("42|MOVED_FROM|" + dir.resolve("gone.txt"), false);
        source.toolLine("|DELETE|" + b, false);
        Path link = Files.createSymbolicLink(dir.resolve("link"), b);
        source.toolLine("43|MOVED_TO|" + link, false);
        source.toolLine("|CLOSE_WRITE,CLOSE|" + dir.resolve("vanished.txt"), false);
        List<AuditRecord> records = new ArrayList<>(source.drainQueued());
        FileSource truncating = new FileSource(10, 4, FileSource.Mechanism.INOTIFYWAIT);
        set(truncating, "mechanism", "inotifywait");
        Path big = Files.writeString(dir.resolve("big.bin"), "0123456789");
        truncating.toolLine("|CLOSE_WRITE,CLOSE|" + big, false);
        records.addAll(truncating.drainQueued());
        FileSource fanotify = new FileSource();
        set(fanotify, "mechanism", "fanotify");
        Path c = Files.writeString(dir.resolve("c.txt"), "by 4242\n");
        fanotify.toolLine("4242|0|CREATE|" + c, true);
        fanotify.toolLine("4242|0|CLOSE_WRITE,CLOSE|" + c, true);
        fanotify.toolLine("0|0|CREATE,ISDIR|" + dir.resolve("found-in-a-new-directory"), true);
        records.addAll(fanotify.drainQueued());
        check("file", records);

        FileSource watching = new FileSource();
        set(watching, "mechanism", "watchservice");
        FileSource fellBack = new FileSource();
        set(fellBack, "mechanism", "inotifywait");
        set(
                fellBack,
                "notUsed",
                "fanotify not used (fanotify did not establish its watches: cannot watch /proc/sys with"
                        + " fanotify: Operation not supported): changes carry no pid");
        check(
                "file.summary",
                List.of(
                        source.summary(COUNTERS, null),
                        watching.summary(COUNTERS, null),
                        fellBack.summary(COUNTERS, null),
                        source.summary(COUNTERS, STOP_ERROR)));
    }

    @Test
    void processRecords() {
        ProcessTreeSource source = new ProcessTreeSource();
        source.syscall(PARENT, "chdir", "\"" + WORK + "\"", "0");
        source.syscall(PARENT, "clone", "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD", Long.toString(CHILD));
        source.syscall(CHILD, "execve", "\"/usr/bin/make\", [\"make\", \"test\"], 0x7ffd3b1c /* 20 vars */", "0");
        source.exited(CHILD, 2, null);
        source.syscall(PARENT, "execve", "\"/bin/sh\", [\"sh\", \"-c\", \"make test\"], 0x7ffd3b1c /* 20 vars */", "0");
        source.exited(PARENT, null, "SIGKILL");
        check("process", source.drainQueued());
        check("process.summary", List.of(source.summary(COUNTERS, null), source.summary(COUNTERS, STOP_ERROR)));
    }

    @Test
    void syscallRecords() {
        SyscallSource source = new SyscallSource();
        source.syscall(PARENT, "clone", "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD", Long.toString(CHILD));
        source.syscall(
                CHILD, "execve", "\"/usr/bin/curl\", [\"curl\", \"http://127.0.0.1/\"], 0x7ffd /* 3 vars */", "0");
        source.syscall(CHILD, "openat", "AT_FDCWD, \"/etc/hosts\", O_RDONLY|O_CLOEXEC", "3</etc/hosts>");
        source.syscall(CHILD, "openat", "AT_FDCWD, \"/nope\", O_RDONLY", "-1 ENOENT (No such file or directory)");
        source.syscall(
                CHILD,
                "connect",
                "3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16",
                "0");
        source.syscall(
                CHILD,
                "connect",
                "4, {sa_family=AF_UNIX, sun_path=\"/run/nscd/socket\"}, 110",
                "-1 ENOENT (No such file or directory)");
        source.exited(CHILD, 0, null);
        source.exited(PARENT, null, "SIGTERM");
        source.doStop();
        check("syscall", source.drainQueued());
        check("syscall.summary", List.of(source.summary(COUNTERS, null), source.summary(COUNTERS, STOP_ERROR)));
    }

    @Test
    void routeRecords() throws Exception {
        RouteSource source = new RouteSource();
        source.line("10.0.0.0/24 via 192.168.1.1 dev eth0 proto static metric 100");
        source.line("Deleted 10.0.0.0/24 via 192.168.1.1 dev eth0 table 5 proto static");
        source.line("local 127.0.0.2 dev lo table local proto kernel scope host src 127.0.0.1");
        source.line("2001:db8::/64 via inet6 fe80::1 dev eth0 proto static metric 1024 pref medium");
        set(source, "netns", "gitcrq-test");
        source.line("blackhole 10.9.0.0/16");
        check("route", source.drainQueued());
        check("route.summary", List.of(source.summary(COUNTERS, null), source.summary(COUNTERS, STOP_ERROR)));
    }

    @Test
    void networkRecords() throws Exception {
        NetworkSource source = new NetworkSource(Path.of("/var/lib/gitcrq/pcap/x-42.pcap"));
        set(source, "iface", "lo");
        PcapFlows flows = new PcapFlows(List.of(8080));
        flows.parse(new ByteArrayInputStream(rawIpPcap()));
        source.emitFlows(flows);
        check("network", source.drainQueued());
        set(source, "flows", flows);
        NetworkSource unread = new NetworkSource(Path.of("/var/lib/gitcrq/pcap/x-43.pcap"));
        set(unread, "iface", "any");
        set(unread, "readError", "java.io.IOException: not a classic pcap file (magic a0d0d0a)");
        check(
                "network.summary",
                List.of(
                        source.summary(COUNTERS, null),
                        unread.summary(COUNTERS, null),
                        source.summary(COUNTERS, STOP_ERROR)));
    }

    @Test
    void httpRecords() throws Exception {
        Recorder recorder = new Recorder();
        HttpProxySource proxy = new HttpProxySource();
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serve(upstream));
            server.setDaemon(true);
            server.start();
            int closed;
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            proxy.start(AuditTarget.none(), recorder);
            int up = upstream.getLocalPort();
            exchange(
                    proxy,
                    "POST http://127.0.0.1:" + up + "/hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + up
                            + "\r\nContent-Length: 9\r\n\r\npayload=1");
            awaitHttp(recorder, 1);
            exchange(proxy, "GET http://127.0.0.1:" + closed + "/ HTTP/1.1\r\n\r\n");
            awaitHttp(recorder, 2);
            exchange(proxy, "GET /relative HTTP/1.1\r\n\r\n");
            awaitHttp(recorder, 3);
            exchange(proxy, "NONSENSE\r\n\r\n");
            awaitHttp(recorder, 4);
            exchange(proxy, "CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\n\r\n");
            awaitHttp(recorder, 5);
            exchange(proxy, "CONNECT 127.0.0.1:" + up + " HTTP/1.1\r\n\r\n");
            awaitHttp(recorder, 6);
        } finally {
            proxy.stop();
        }
        check("http", recorder.of("http"));
        check("http.summary", List.of(recorder.summary("http"), proxy.summary(COUNTERS, STOP_ERROR)));
    }

    /** The payloads as exec-agent writes them (its codec), run-dependent values fixed, against the golden file. */
    private void check(String kind, List<AuditRecord> records) {
        assertThat(records)
                .as("records of " + kind)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.kind()).isEqualTo(kind));
        ArrayNode payloads = JsonNodeFactory.instance.arrayNode();
        for (AuditRecord record : records) {
            JsonNode payload = EventCodec.mapper().valueToTree(record.payload());
            payloads.add(fixed(kind, payload));
        }
        Golden.check(golden(kind), Golden.pretty(payloads));
    }

    private JsonNode fixed(String kind, JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.asText().replace(dir.toString(), WORK));
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(fixed(kind, n)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = fixed(kind, field.getValue());
            if (kind.startsWith("http")) {
                value = switch (name) {
                    case "client" -> TextNode.valueOf("/127.0.0.1:50000");
                    case "port" -> JsonNodeFactory.instance.numberNode(8080);
                    case "durationMs" -> JsonNodeFactory.instance.numberNode(3L);
                    case "listen" -> TextNode.valueOf("127.0.0.1:3128");
                    case "error" -> TextNode.valueOf(value.asText().replaceAll(":\\d+", ":8080"));
                    default -> value;
                };
            }
            copy.set(name, value);
        }
        return copy;
    }

    private static void awaitHttp(Recorder recorder, int count) throws InterruptedException {
        assertThat(recorder.await(
                        l -> l.stream().filter(r -> r.kind().equals("http")).count() >= count, Duration.ofSeconds(20)))
                .as("http record %d", count)
                .isTrue();
    }

    /** Sends one request through the proxy and reads the answer to its end. */
    private static void exchange(HttpProxySource proxy, String request) throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            OutputStream out = client.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            client.shutdownOutput();
            client.getInputStream().readAllBytes();
        }
    }

    /** An upstream answering every connection with the same fixed response, then closing it. */
    private static void serve(ServerSocket upstream) {
        byte[] response =
                "HTTP/1.1 201 Created\r\nContent-Length: 6\r\n\r\nhello\n".getBytes(StandardCharsets.ISO_8859_1);
        while (!upstream.isClosed()) {
            try (Socket s = upstream.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    head.write(c);
                }
                if (head.toString(StandardCharsets.ISO_8859_1).contains("Content-Length: 9")) {
                    in.readNBytes(9);
                }
                s.getOutputStream().write(response);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A classic pcap (raw IP) of one TCP exchange: two packets to port 8080, one back. */
    private static byte[] rawIpPcap() {
        ByteBuffer b = ByteBuffer.allocate(24 + 3 * (16 + 40)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(101);
        packet(b, 1_767_323_045L, 100, new byte[] {10, 0, 0, 2}, 40000, new byte[] {10, 0, 0, 1}, 8080);
        packet(b, 1_767_323_045L, 300, new byte[] {10, 0, 0, 1}, 8080, new byte[] {10, 0, 0, 2}, 40000);
        packet(b, 1_767_323_046L, 0, new byte[] {10, 0, 0, 2}, 40000, new byte[] {10, 0, 0, 1}, 8080);
        return b.array();
    }

    private static void packet(ByteBuffer b, long sec, int micros, byte[] src, int sport, byte[] dst, int dport) {
        b.putInt((int) sec).putInt(micros).putInt(40).putInt(40);
        ByteBuffer ip = ByteBuffer.allocate(40).order(ByteOrder.BIG_ENDIAN);
        ip.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) 40)
                .putInt(0)
                .put((byte) 64)
                .put((byte) 6)
                .putShort((short) 0);
        ip.put(src).put(dst);
        ip.putShort((short) sport).putShort((short) dport);
        b.put(ip.array());
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
