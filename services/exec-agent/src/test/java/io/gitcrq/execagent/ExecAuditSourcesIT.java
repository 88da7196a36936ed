package io.gitcrq.execagent;

import static io.gitcrq.execagent.ExecAgentIT.WAIT;
import static io.gitcrq.execagent.ExecAgentIT.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.gitcrq.execagent.service.ExecWatcher;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.AuditEventsProbe.AuditOnTopic;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.signature.Ed25519;
import io.gitcrq.testsupport.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Audit sources around execs, with the real tools (strace, inotifywait, the HTTP proxy) in a real tmux pane: what
 * they saw is asserted as it landed on the audit topic, and their counters as the agent keeps them.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
class ExecAuditSourcesIT {

    @ConfigProperty(name = "gitcrq.exec.host")
    String host;

    @ConfigProperty(name = "gitcrq.exec.log-dir")
    String logDir;

    @Inject
    ExecWatcher watcher;

    /** Reads exec and audit events as audit-collector (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);
    // No service writes exec requests: only the broker's administrator.
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    @Inject
    TestCrqs crqs;

    /** The CRQs these tests run commands for, created as crq-service creates them: commands run only for those. */
    @BeforeEach
    void crqsAnnounced() {
        crqs.open("CRQ-41", "CRQ-42", "CRQ-43", "CRQ-44", "CRQ-45");
    }

    @Inject
    jakarta.persistence.EntityManager em;

    @jakarta.transaction.Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    private static Scrape scrape() {
        // No login: Prometheus scrapes without one.
        return Scrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void theProcessTreeAndTheFilesOfAnExecAreAuditedFromItsFirstExec() throws Exception {
        Scrape before = scrape();
        Path cwd = Files.createTempDirectory("exec-audit-");
        String command = "sh -c 'echo hi > out.txt; sleep 0.5'";
        String execId = start(Map.of(
                "session",
                "audit41",
                "pane",
                "pf",
                "command",
                command,
                "crqId",
                "CRQ-41",
                "cwd",
                cwd.toString(),
                "audit",
                List.of("process", "file")));
        awaitEnd(execId, "FINISHED");
        as("alice").get("/execs/" + execId).then().body("exitCode", equalTo(0));
        assertThat(Files.readString(cwd.resolve("out.txt"))).isEqualTo("hi\n");

        List<JsonNode> events = auditOf(execId, "process.summary", "file.summary");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("crqId").asText()).isEqualTo("CRQ-41");
            assertThat(e.get("host").asText()).isEqualTo(host);
            assertThat(e.at("/payload/logPath").asText()).endsWith(execId + ".log");
        });
        // A source's records go to the outbox in batches, each batch signed once: every event still checks alone
        // with the host's key, and the events of one batch carry one signature.
        PublicKey hostKey = Ed25519.parsePublicKey(
                as("admin").get("/host-key").then().statusCode(200).extract().path("publicKey"));
        Map<Long, String> batchSignatures = new java.util.HashMap<>();
        for (JsonNode e : events) {
            AuditCaptured captured = EventCodec.mapper().treeToValue(e, AuditCaptured.class);
            assertThat(AuditSignature.verify(captured, hostKey)).as("%s", e).isTrue();
            assertThat(batchSignatures.putIfAbsent(captured.batchFirstSeq(), captured.signature()))
                    .isIn(null, captured.signature());
        }

        List<JsonNode> execs = payloads(events, "process").stream()
                .filter(p -> p.get("event").asText().equals("exec"))
                .toList();
        // The kernel reported the execs of the command's cgroup, which its shell joined before it became the
        // command: even the first exec after that (env, which then becomes the command's argument vector, here sh -c
        // with its script) was seen.
        assertThat(execs)
                .first()
                .satisfies(
                        p -> assertThat(named(p)).startsWith("env", "--", "sh", "-c", "echo hi > out.txt; sleep 0.5"));
        JsonNode sh = execs.stream()
                .filter(p -> named(p).equals(List.of("sh", "-c", "echo hi > out.txt; sleep 0.5")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exec of sh with its args in " + execs));
        assertThat(sh.get("path").asText()).endsWith("/sh");
        assertThat(sh.get("cwd").asText()).isEqualTo(cwd.toString());
        JsonNode sleep = execs.stream()
                .filter(p -> named(p).equals(List.of("sleep", "0.5")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exec of sleep 0.5 in " + execs));
        List<JsonNode> exits = payloads(events, "process").stream()
                .filter(p -> p.get("event").asText().equals("exit"))
                .toList();
        assertThat(exits).anySatisfy(p -> {
            assertThat(p.get("pid").asLong()).isEqualTo(sleep.get("pid").asLong());
            assertThat(p.get("exitCode").asInt()).isZero();
            assertThat(named(p)).containsExactly("sleep", "0.5");
        });
        assertThat(exits)
                .anySatisfy(p -> assertThat(p.get("pid").asLong())
                        .isEqualTo(sh.get("pid").asLong()));

        String written = cwd.resolve("out.txt").toString();
        assertThat(payloads(events, "file")).anySatisfy(p -> {
            assertThat(p.get("path").asText()).isEqualTo(written);
            assertThat(p.get("op").asText()).isIn("created", "modified");
            assertThat(p.get("size").asLong()).isEqualTo(3);
            assertThat(p.get("sha256").asText()).isEqualTo(sha256("hi\n"));
            // fanotify (the agent runs as root here) names the process that wrote it: the sh whose exec the
            // process source recorded (echo is its builtin, so sh itself wrote out.txt)
            assertThat(p.get("pid").asLong()).isEqualTo(sh.get("pid").asLong());
            assertThat(p.get("mechanism").asText()).isEqualTo("fanotify");
        });

        // The summaries are the last of each source, and their counters are kept with the exec.
        JsonNode processSummary = payloads(events, "process.summary").get(0);
        JsonNode fileSummary = payloads(events, "file.summary").get(0);
        assertThat(processSummary.get("captured").asLong())
                .isEqualTo(payloads(events, "process").size());
        assertThat(processSummary.has("attachedLate")).isFalse();
        // Captured with eBPF (this host allows it: gitcrq.exec.audit.process.mechanism=auto), in the command's own
        // cgroup, which is gone once the exec ended; no strace in the way.
        assertThat(processSummary.get("mechanism").asText()).isEqualTo("ebpf");
        assertThat(processSummary.get("cgroup").asText()).endsWith("gitcrq-exec-" + execId);
        assertThat(processSummary.has("mode")).isFalse();
        assertThat(processSummary.has("attachedBecause")).isFalse();
        assertThat(processSummary.get("unparsableLines").asLong()).isZero();
        assertThat(fileSummary.get("captured").asLong())
                .isEqualTo(payloads(events, "file").size());
        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("audit.process.status", equalTo("STOPPED"))
                .body(
                        "audit.process.captured",
                        equalTo(processSummary.get("captured").asInt()))
                .body(
                        "audit.process.dropped",
                        equalTo(processSummary.get("dropped").asInt()))
                .body("audit.file.status", equalTo("STOPPED"))
                .body("audit.file.captured", equalTo(fileSummary.get("captured").asInt()))
                .body("audit.file.dropped", equalTo(fileSummary.get("dropped").asInt()));
        as("bob").get("/execs?crq=CRQ-41").then().body("[0].audit.process.status", equalTo("STOPPED"));
        // The metrics: per source kind, what the sources saw is what they captured plus what they dropped, each
        // moved by this exec's summary; what the agent received and published of them is what they captured.
        Scrape after = scrape();
        for (JsonNode summary : List.of(processSummary, fileSummary)) {
            String source = summary == processSummary ? "process" : "file";
            java.util.function.ToDoubleFunction<String> moved =
                    name -> after.sum(name, "source", source) - before.sum(name, "source", source);
            double seen = moved.applyAsDouble("gitcrq_exec_audit_source_events_seen_total");
            double captured = moved.applyAsDouble("gitcrq_exec_audit_source_events_captured_total");
            double dropped = moved.applyAsDouble("gitcrq_exec_audit_source_events_dropped_total");
            double published = moved.applyAsDouble("gitcrq_exec_audit_source_records_published_total");
            assertThat(seen).as(source).isEqualTo(summary.get("seen").asDouble());
            assertThat(captured)
                    .as(source)
                    .isEqualTo(summary.get("captured").asDouble())
                    .isPositive();
            assertThat(dropped).as(source).isEqualTo(summary.get("dropped").asDouble());
            assertThat(captured + dropped).as(source).isEqualTo(seen);
            assertThat(published).as(source).isEqualTo(captured);
        }
        // Execs by status, as the agent's table has them.
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape now = scrape();
            for (String status : List.of("RUNNING", "FINISHED", "FAILED")) {
                assertThat(now.sum("gitcrq_exec_execs", "status", status.toLowerCase(java.util.Locale.ROOT)))
                        .as(status)
                        .isEqualTo((double) count("SELECT count(*) FROM managed_exec WHERE status = '" + status + "'"));
            }
        });
        // No handshake, and the trace, once read, is not left behind.
        assertThat(Path.of(logDir, execId + ".go")).doesNotExist();
        assertThat(Path.of(logDir, execId + ".strace")).doesNotExist();
    }

    @Test
    void aCommandWhoseProcessesAreAuditedKeepsItsExitStatusAndIsKilledWhenItsTimeoutComes() throws Exception {
        Path cwd = Files.createTempDirectory("exec-audit-");
        String command = "sh -c 'exit 3'; exit 7";
        String execId = start(Map.of(
                "session",
                "audit45",
                "pane",
                "status",
                "command",
                command,
                "crqId",
                "CRQ-45",
                "cwd",
                cwd.toString(),
                "audit",
                List.of("process")));
        awaitEnd(execId, "FINISHED");
        as("alice").get("/execs/" + execId).then().body("exitCode", equalTo(7));
        List<JsonNode> events = auditOf(execId, "process.summary");
        List<JsonNode> execs = payloads(events, "process").stream()
                .filter(p -> p.get("event").asText().equals("exec"))
                .toList();
        JsonNode first = execs.get(0);
        assertThat(named(first)).startsWith("env", "--", "bash", "-c", command);
        JsonNode sh = execs.stream()
                .filter(p -> named(p).equals(List.of("sh", "-c", "exit 3")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exec of sh in " + execs));
        List<JsonNode> exits = payloads(events, "process").stream()
                .filter(p -> p.get("event").asText().equals("exit"))
                .toList();
        assertThat(exits).anySatisfy(p -> {
            assertThat(p.get("pid").asLong()).isEqualTo(sh.get("pid").asLong());
            assertThat(p.get("exitCode").asInt()).isEqualTo(3);
        });
        assertThat(exits).anySatisfy(p -> {
            assertThat(p.get("pid").asLong()).isEqualTo(first.get("pid").asLong());
            assertThat(p.get("exitCode").asInt()).isEqualTo(7);
        });

        // A command that runs on: what the watcher does when an exec's timeout comes (a plain exec has none, so it
        // is made to come now) kills the tree from the noted root, and the exec ends with it.
        String slow = start(Map.of(
                "session",
                "audit45",
                "pane",
                "slow",
                "command",
                "sleep 60; echo never",
                "crqId",
                "CRQ-45",
                "cwd",
                cwd.toString(),
                "audit",
                List.of("process")));
        ManagedCommand managed = ManagedCommand.in(Path.of(logDir), slow);
        await().atMost(WAIT)
                .until(() -> managed.commandPid().isPresent()
                        && ProcessHandle.of(managed.commandPid().getAsLong()).stream()
                                .flatMap(ProcessHandle::descendants)
                                .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
        ProcessHandle root = ProcessHandle.of(managed.commandPid().getAsLong()).orElseThrow();
        // no tracer between the pane and the command: the kernel reports its processes (eBPF)
        assertThat(root.info().command().orElse("")).endsWith("bash");
        watcher.stop(slow, ExecWatcher.TIMEOUT);
        awaitEnd(slow, "FINISHED");
        as("alice")
                .get("/execs/" + slow)
                .then()
                .body("stoppedBy", equalTo("timeout"))
                .body("exitCode", equalTo(143));
        await().atMost(Duration.ofSeconds(5)).until(() -> !root.isAlive());
        List<JsonNode> slowEvents = auditOf(slow, "process.summary");
        assertThat(payloads(slowEvents, "process")).anySatisfy(p -> {
            assertThat(p.get("event").asText()).isEqualTo("exit");
            assertThat(named(p)).containsExactly("sleep", "60");
            assertThat(p.get("signal").asText()).isEqualTo("SIGTERM");
        });
        assertThat(Files.readString(Path.of(logDir, slow + ".log"))).doesNotContain("never");
    }

    @Test
    void theHttpSourcesProxyIsInTheCommandsEnvironmentAndItsRequestsAreAudited() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            seen.set(exchange.getRequestURI().toString());
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            String execId = start(Map.of(
                    "session",
                    "audit42",
                    "pane",
                    "http",
                    "crqId",
                    "CRQ-42",
                    "audit",
                    List.of("http"),
                    "command",
                    "curl -sS -o /dev/null -w 'status=%{http_code}\\n' http://127.0.0.1:" + port + "/hello?x=1"));
            awaitEnd(execId, "FINISHED");
            as("alice").get("/execs/" + execId).then().body("exitCode", equalTo(0));
            assertThat(seen.get()).isEqualTo("/hello?x=1");

            List<JsonNode> events = auditOf(execId, "http.summary");
            assertThat(payloads(events, "http")).singleElement().satisfies(p -> {
                assertThat(p.get("method").asText()).isEqualTo("GET");
                assertThat(p.get("host").asText()).isEqualTo("127.0.0.1");
                assertThat(p.get("port").asInt()).isEqualTo(port);
                assertThat(p.get("path").asText()).isEqualTo("/hello?x=1");
                assertThat(p.get("status").asInt()).isEqualTo(201);
            });
            assertThat(payloads(events, "http.summary").get(0).get("captured").asLong())
                    .isEqualTo(1);
            as("alice").get("/execs/" + execId).then().body("audit.http.captured", equalTo(1));
        } finally {
            server.stop(0);
        }
    }

    /**
     * The network source sees the command's traffic and nothing else of the host's: while the command talks to a
     * local server, this JVM (the host) talks to the same server all along; only the command's connection is a flow.
     * Afterwards neither its cgroup nor its netfilter rules are left.
     */
    @Test
    void theNetworkSourceCapturesTheCommandsOwnConnectionsAndNotTheHostsTrafficBesideThem() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        AtomicBoolean talking = new AtomicBoolean(true);
        Thread host = new Thread(() -> {
            while (talking.get()) {
                try {
                    // a fresh client each time: a new connection, as the command's is
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/host"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            host.start();
            String execId = start(Map.of(
                    "session",
                    "audit43",
                    "pane",
                    "net",
                    "crqId",
                    "CRQ-43",
                    "audit",
                    List.of("network"),
                    "command",
                    "sleep 1; curl -sS -o /dev/null http://127.0.0.1:" + port + "/command; sleep 1"));
            awaitEnd(execId, "FINISHED");
            talking.set(false);
            host.join(10_000);
            as("alice").get("/execs/" + execId).then().body("exitCode", equalTo(0));
            assertThat(requests.get())
                    .as("the host's requests beside the command's")
                    .isGreaterThan(5);

            List<JsonNode> events = auditOf(execId, "network.summary");
            JsonNode summary = payloads(events, "network.summary").get(0);
            assertThat(summary.get("scope").asText()).isEqualTo("command");
            assertThat(summary.get("cgroup").asText()).contains("gitcrq-exec-" + execId);
            assertThat(summary.get("interface").asText()).startsWith("nflog:");
            assertThat(payloads(events, "network")).singleElement().satisfies(flow -> {
                assertThat(flow.get("protocol").asText()).isEqualTo("tcp");
                assertThat(flow.get("peer").asText()).isEqualTo("127.0.0.1");
                assertThat(flow.get("port").asInt()).isEqualTo(port);
                assertThat(flow.get("bytesToPeer").asLong()).isPositive();
                assertThat(flow.get("bytesFromPeer").asLong()).isPositive();
            });
            String rules = new String(
                    new ProcessBuilder("iptables", "-S")
                            .start()
                            .getInputStream()
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(rules).doesNotContain(execId);
            try (var cgroups = Files.walk(Path.of("/sys/fs/cgroup"), 3)) {
                assertThat(cgroups.map(Path::toString).filter(p -> p.contains(execId)))
                        .isEmpty();
            }
        } finally {
            talking.set(false);
            server.stop(0);
        }
    }

    @Test
    void aSourceThatCannotStartIsAuditedAndTheCommandRunsAllTheSameWithSecretsMaskedInWhatIsCaptured()
            throws Exception {
        Path cwd = Files.createTempDirectory("exec-audit-");
        String secretFile = "key-" + TestTmuxResource.SECRET + ".txt";
        String execId = start(Map.of(
                "session",
                "audit43",
                "pane",
                "fail",
                "crqId",
                "CRQ-43",
                "cwd",
                cwd.toString(),
                "audit",
                List.of("route", "file"),
                "command",
                "echo ran > " + secretFile));
        awaitEnd(execId, "FINISHED");
        as("alice").get("/execs/" + execId).then().body("exitCode", equalTo(0));
        assertThat(cwd.resolve(secretFile)).exists();

        AuditOnTopic failed = audits.await(v -> v.contains("audit-source-failed") && v.contains(execId), WAIT);
        JsonNode data = failed.data();
        assertThat(data.get("crqId").asText()).isEqualTo("CRQ-43");
        assertThat(data.at("/payload/source").asText()).isEqualTo("route");
        assertThat(data.at("/payload/reason").asText()).contains(TestTmuxResource.NO_SUCH_NETNS);
        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("audit.route.status", equalTo("FAILED"))
                .body("audit.route.reason", containsString(TestTmuxResource.NO_SUCH_NETNS));

        List<AuditOnTopic> raw = audits.awaitAll(v -> v.contains(execId) && v.contains("\"kind\":\"file"), 2, WAIT);
        assertThat(raw).allSatisfy(a -> assertThat(a.json()).doesNotContain(TestTmuxResource.SECRET));
        assertThat(raw)
                .anySatisfy(a -> assertThat(a.data().at("/payload/path").asText())
                        .isEqualTo(cwd.resolve("key-***.txt").toString()));
        // Nor is it in any record on the wire that holds the exec's events (a batch carries them as they are).
        assertThat(topics.awaitAll(Topics.AUDIT_EVENTS, v -> v.contains(execId), 1, WAIT))
                .allSatisfy(r -> assertThat(r.value()).doesNotContain(TestTmuxResource.SECRET));
    }

    @Test
    void aChoiceOfSourcesTheHostCannotHonourIsA400ByRestAndARefusalByKafka() throws Exception {
        as("alice")
                .body(Map.of(
                        "session",
                        "audit44",
                        "pane",
                        "p",
                        "command",
                        "true",
                        "crqId",
                        "CRQ-44",
                        "audit",
                        List.of("file", "keylogger")))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("unknown audit source 'keylogger'"));
        as("alice")
                .body(Map.of(
                        "session",
                        "audit44",
                        "pane",
                        "p",
                        "command",
                        "true",
                        "crqId",
                        "CRQ-44",
                        "audit",
                        List.of("process", "syscall")))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("process and syscall"))
                .body("detail", containsString("exec args and exit codes"));
        as("alice")
                .body(Map.of(
                        "session",
                        "audit44",
                        "pane",
                        "p",
                        "command",
                        "true",
                        "crqId",
                        "CRQ-44",
                        "audit",
                        List.of("file"),
                        "auditPaths",
                        List.of("relative/dir")))
                .post("/execs")
                .then()
                .statusCode(400)
                .body("detail", containsString("relative/dir"));

        // By Kafka: the same rules; a good choice runs with its sources, a bad one is refused and audited.
        Path cwd = Files.createTempDirectory("exec-audit-");
        Path more = Files.createTempDirectory("exec-audit-more-");
        String good = "kafka-" + UUID.randomUUID();
        String bad = "kafka-" + UUID.randomUUID();
        operator.send(Topics.EXEC_REQUESTS, host, request(bad, "true", cwd, List.of("syscall", "process"), null));
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                request(
                        good,
                        "echo k > k.txt; echo m > " + more.resolve("m.txt"),
                        cwd,
                        List.of("file"),
                        List.of(more.toString())));

        JsonNode refused = audits.await(v -> v.contains("exec-refused") && v.contains(bad), WAIT)
                .data();
        assertThat(refused.at("/payload/reason").asText()).contains("process and syscall");
        awaitEnd(good, "FINISHED");
        List<JsonNode> events = auditOf(good, "file.summary");
        assertThat(payloads(events, "file").stream().map(p -> p.get("path").asText()))
                .contains(cwd.resolve("k.txt").toString(), more.resolve("m.txt").toString());
    }

    private String request(String execId, String command, Path cwd, List<String> audit, List<String> auditPaths) {
        return EventCodec.toJson(EventCodec.envelope(
                "test",
                TestGrants.granted(new ExecRequested(
                        execId,
                        host,
                        "audit44",
                        execId,
                        command,
                        "CRQ-44",
                        null,
                        cwd.toString(),
                        "alice",
                        audit,
                        auditPaths,
                        null))));
    }

    private static String start(Map<String, Object> body) {
        return as("alice")
                .body(body)
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
    }

    private static void awaitEnd(String execId, String status) {
        await().atMost(WAIT)
                .until(() -> status.equals(as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("status")));
    }

    /** Every audit event of the exec, once the summaries named (each source's last record) are there. */
    private List<JsonNode> auditOf(String execId, String... summaries) {
        for (String summary : summaries) {
            audits.await(v -> v.contains(execId) && v.contains("\"kind\":\"" + summary + "\""), WAIT);
        }
        List<JsonNode> events = new ArrayList<>();
        for (AuditOnTopic a : audits.awaitAll(v -> v.contains(execId), 1, WAIT)) {
            assertThat(a.key()).isEqualTo(host);
            JsonNode data = a.data();
            if (data.at("/payload/execId").asText().equals(execId)) {
                events.add(data);
            }
        }
        return events;
    }

    private static List<JsonNode> payloads(List<JsonNode> events, String kind) {
        return events.stream()
                .filter(e -> e.get("kind").asText().equals(kind))
                .map(e -> e.get("payload"))
                .toList();
    }

    private static List<String> args(JsonNode payload) {
        List<String> args = new ArrayList<>();
        payload.get("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /**
     * The program's arguments with the first as a name: a launcher may give argv[0] as a path
     * ({@code /usr/bin/sh -c ...} for {@code sh -c ...}).
     */
    private static List<String> named(JsonNode payload) {
        List<String> args = args(payload);
        if (!args.isEmpty()) {
            args.set(0, Path.of(args.get(0)).getFileName().toString());
        }
        return args;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
