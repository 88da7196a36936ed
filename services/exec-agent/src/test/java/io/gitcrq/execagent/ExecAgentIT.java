package io.gitcrq.execagent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.execagent.audit.AuditHeads;
import io.gitcrq.execagent.service.ExecRecovery;
import io.gitcrq.execagent.tmux.TmuxPanes;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.AuditEventsProbe.AuditOnTopic;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** exec-agent against a real broker, a real PostgreSQL database of its own and a real tmux server of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
class ExecAgentIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EntityManager em;

    @Inject
    ExecRecovery recovery;

    @Inject
    AuditHeads heads;

    @Inject
    TestCrqs crqs;

    @Inject
    TmuxPanes panes;

    @ConfigProperty(name = "gitcrq.exec.tmux-socket")
    String socket;

    @ConfigProperty(name = "gitcrq.exec.host")
    String host;

    @ConfigProperty(name = "gitcrq.exec.log-dir")
    String logDir;

    @ConfigProperty(name = "gitcrq.exec.recordings-dir")
    String recordingsDir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads exec and audit events as audit-collector (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);
    // No service writes exec requests: only the broker's administrator.
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON);
    }

    private static String post(String user, Map<String, ?> body) {
        return as(user).body(body)
                .post("/execs")
                .then()
                .statusCode(202)
                .body("status", equalTo("RUNNING"))
                .body("requestedBy", equalTo(user))
                .extract()
                .path("execId");
    }

    @Transactional
    long lastHostSeq() {
        return ((Number) em.createNativeQuery("SELECT last_seq FROM audit_host_sequence WHERE host = ?1")
                        .setParameter(1, host)
                        .getSingleResult())
                .longValue();
    }

    /** The CRQs these tests run commands for, created as crq-service creates them: commands run only for those. */
    @BeforeEach
    void crqsAnnounced() {
        crqs.open(
                "CRQ-7", "CRQ-941", "CRQ-8", "CRQ-1", "CRQ-11", "CRQ-31", "CRQ-32", "CRQ-9", "CRQ-112", "CRQ-121",
                "CRQ-122", "CRQ-123", "CRQ-124");
    }

    private void awaitEnd(String execId, String status) {
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    @Test
    void aCommandRunsVisiblyInItsPaneAndItsEndIsPublished() throws Exception {
        String execId = post(
                "alice",
                Map.of(
                        "session",
                        "crq7",
                        "pane",
                        "build",
                        "command",
                        "echo hello-$((6*7))",
                        "crqId",
                        "crq-7",
                        "branch",
                        "feature/CRQ-7-greeting",
                        "keepPane",
                        true));

        awaitEnd(execId, "FINISHED");
        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("exitCode", equalTo(0))
                .body("crqId", equalTo("CRQ-7"))
                .body("host", equalTo(host))
                .body("cwd", equalTo(System.getProperty("user.home")))
                .body("endedAt", notNullValue());
        // A person attached to the session sees the command and what it printed (the window was asked to be kept).
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(tmux(socket, List.of("capture-pane", "-p", "-t", "crq7:build")))
                        .contains("hello-42"));

        Path log = Path.of(logDir, execId + ".log");
        assertThat(Files.readString(log)).isEqualTo("hello-42\n");
        String sha = sha256(log);

        ConsumerRecord<String, String> finished =
                topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(execId), WAIT);
        assertThat(finished.key()).isEqualTo(host);
        JsonNode data = EventCodec.parse(finished.value()).data();
        assertThat(data.get("exitCode").asInt()).isZero();
        assertThat(data.get("crqId").asText()).isEqualTo("CRQ-7");
        assertThat(data.get("outputSha256").asText()).isEqualTo(sha);
        assertThat(data.get("logPath").asText()).isEqualTo(log.toString());

        AuditOnTopic audit = audits.await(v -> v.contains(execId), WAIT);
        assertThat(audit.key()).isEqualTo(host);
        JsonNode auditData = audit.data();
        assertThat(auditData.get("kind").asText()).isEqualTo("exec");
        assertThat(auditData.get("crqId").asText()).isEqualTo("CRQ-7");
        assertThat(auditData.at("/payload/exitCode").asInt()).isZero();
        assertThat(auditData.at("/payload/command").asText()).isEqualTo("echo hello-$((6*7))");
        assertThat(auditData.at("/payload/requestedBy").asText()).isEqualTo("alice");
        assertThat(auditData.at("/payload/outputSha256").asText()).isEqualTo(sha);

        assertThat(row(execId)).containsExactly("FINISHED", 0, "CRQ-7", "alice", sha);
        as("bob").get("/execs?crq=CRQ-7").then().statusCode(200).body("execId", hasItem(execId));
    }

    @Test
    void everyAuditEventIsNumberedAndSignedWithTheHostKeyAndHeadsAreSigned() {
        given().get("/host-key").then().statusCode(401);
        as("alice").get("/host-key").then().statusCode(403);
        JsonPath key =
                as("admin").get("/host-key").then().statusCode(200).extract().jsonPath();
        assertThat(key.getString("host")).isEqualTo(host);
        PublicKey publicKey = Ed25519.parsePublicKey(key.getString("publicKey"));
        assertThat(key.getString("fingerprint")).isEqualTo(Ed25519.fingerprint(publicKey));

        String first = post("alice", Map.of("session", "signed", "pane", "a", "command", "true", "crqId", "crq-941"));
        awaitEnd(first, "FINISHED");
        String second = post("alice", Map.of("session", "signed", "pane", "a", "command", "true", "crqId", "CRQ-941"));
        awaitEnd(second, "FINISHED");
        List<AuditCaptured> events = new ArrayList<>();
        for (AuditOnTopic a : audits.awaitAll(v -> v.contains("CRQ-941"), 2, WAIT)) {
            events.add(a.event());
        }
        assertThat(events).allSatisfy(e -> {
            assertThat(e.keyId()).isEqualTo(key.getString("fingerprint"));
            assertThat(AuditSignature.verify(e, publicKey)).isTrue();
        });
        // Each exec's end is signed by the same key too: no other host can claim it.
        ExecFinished end = (ExecFinished) EventCodec.dataOf(EventCodec.parse(
                topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(first), WAIT)
                        .value()));
        assertThat(end.keyId()).isEqualTo(key.getString("fingerprint"));
        assertThat(AuditSignature.verifyExecFinished(end, publicKey)).isTrue();
        // Numbered in the order published, without gaps or repeats.
        assertThat(events.get(1).hostSeq()).isGreaterThan(events.get(0).hostSeq());
        Map<String, Long> numbers = new java.util.HashMap<>(); // by event id: the relay may deliver one twice
        for (AuditOnTopic a : audits.awaitAll(v -> true, 1, WAIT)) {
            numbers.put(a.eventId(), a.event().hostSeq());
        }
        assertThat(numbers.values()).doesNotHaveDuplicates().doesNotContainNull();

        // A head states the last number and the digest of that event's signed form, signed with the same key.
        heads.publish();
        long last = lastHostSeq();
        AuditHeadSigned head = (AuditHeadSigned) EventCodec.dataOf(EventCodec.parse(topics.await(
                        Topics.AUDIT_EVENTS,
                        v -> v.contains("AuditHeadSigned") && v.contains("\"lastSeq\":" + last),
                        WAIT)
                .value()));
        assertThat(AuditSignature.verifyHead(head, publicKey)).isTrue();
        assertThat(heads.publish())
                .as("an unchanged head is not published again")
                .isZero();
    }

    @Test
    void exitCodesAreReportedAndABusyPaneIsRefused() {
        String failing = post(
                "dave",
                Map.of(
                        "session",
                        "crq8",
                        "pane",
                        "tests",
                        "command",
                        "echo failing; exit 3",
                        "crqId",
                        "CRQ-8",
                        "keepPane",
                        true));
        awaitEnd(failing, "FINISHED");
        as("dave").get("/execs/" + failing).then().body("exitCode", equalTo(3));
        topics.await(Topics.EXEC_EVENTS, v -> v.contains(failing) && v.contains("\"exitCode\":3"), WAIT);

        // The same pane again (its idle shell is replaced), while it runs a second request for it is a conflict.
        String slow = post(
                "dave",
                Map.of(
                        "session",
                        "crq8",
                        "pane",
                        "tests",
                        "command",
                        "sleep 2; echo slow-done",
                        "crqId",
                        "CRQ-8",
                        "keepPane",
                        true));
        String busyMarker = "busy-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .body(Map.of("session", "crq8", "pane", "tests", "command", "echo " + busyMarker, "crqId", "CRQ-8"))
                .post("/execs")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(slow));
        // That refusal is on the record too.
        assertThat(refusalAudited(busyMarker).at("/payload/reason").asText()).contains("still running exec " + slow);
        as("alice")
                .get("/execs/" + slow + "/recording")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("still running"));
        awaitEnd(slow, "FINISHED");
        as("dave").get("/execs/" + slow).then().body("exitCode", equalTo(0));
        assertThat(tmux(socket, List.of("capture-pane", "-p", "-t", "crq8:tests")))
                .contains("slow-done");
        assertThat(tmux(socket, List.of("list-windows", "-t", "crq8", "-F", "#{window_name}"))
                        .trim())
                .isEqualTo("tests");
    }

    @Test
    void aRepeatedRequestWithItsIdempotencyKeyGetsTheFirstExecAndNeverRunsTheCommandAgain() {
        String marker = "once-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> request =
                Map.of("session", "crq9", "pane", "once", "command", "echo " + marker, "crqId", "CRQ-9");
        String key = UUID.randomUUID().toString();
        String first = as("alice")
                .header("Idempotency-Key", key)
                .body(request)
                .post("/execs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("execId");
        awaitEnd(first, "FINISHED");

        // The answer was lost, say: the client sends the same request with the same key, after the command ended.
        as("alice")
                .header("Idempotency-Key", key)
                .body(request)
                .post("/execs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/execs/" + first))
                .body("execId", equalTo(first))
                .body("status", equalTo("FINISHED"));
        // The key is alice's: dave's request with it is his own, and runs.
        String daves = as("dave")
                .header("Idempotency-Key", key)
                .body(Map.of("session", "crq9", "pane", "once-dave", "command", "echo " + marker, "crqId", "CRQ-9"))
                .post("/execs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("execId");
        assertThat(daves).isNotEqualTo(first);
        awaitEnd(daves, "FINISHED");
        assertThat(as("alice")
                        .get("/execs?crq=CRQ-9")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("findAll { it.command == 'echo " + marker + "' }.execId", String.class))
                .as("the command ran once for alice and once for dave")
                .containsExactlyInAnyOrder(first, daves);

        // The same key with another request is the client's mistake: a 400 that names it, and nothing runs.
        as("alice")
                .header("Idempotency-Key", key)
                .body(Map.of("session", "crq9", "pane", "once", "command", "echo another", "crqId", "CRQ-9"))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key was sent with another request"));
        // A key must be a token: a space (or nothing) is refused as malformed, and that refusal is audited.
        String malformedMarker = "badkey-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .header("Idempotency-Key", "two words")
                .body(Map.of("session", "crq9", "pane", "once", "command", "echo " + malformedMarker, "crqId", "CRQ-9"))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key must be"));
        assertThat(refusalAudited(malformedMarker).at("/payload/reason").asText())
                .contains("Idempotency-Key");

        // A refused request keeps no key: once the busy pane is free, its repeat runs.
        String slow = post("alice", Map.of("session", "crq9", "pane", "busy", "command", "sleep 2", "crqId", "CRQ-9"));
        String retryKey = UUID.randomUUID().toString();
        Map<String, String> waiting =
                Map.of("session", "crq9", "pane", "busy", "command", "echo after-" + marker, "crqId", "CRQ-9");
        as("alice")
                .header("Idempotency-Key", retryKey)
                .body(waiting)
                .post("/execs")
                .then()
                .statusCode(409);
        awaitEnd(slow, "FINISHED");
        String after = as("alice")
                .header("Idempotency-Key", retryKey)
                .body(waiting)
                .post("/execs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("execId");
        awaitEnd(after, "FINISHED");
    }

    @Test
    void eachCommandsWindowIsClosedOnceItEndedUnlessKeptAndNeverWhileItRuns() {
        // A window kept on purpose is the session's baseline.
        String kept = post(
                "alice",
                Map.of("session", "tidy", "pane", "kept", "command", "echo kept", "crqId", "CRQ-8", "keepPane", true));
        awaitEnd(kept, "FINISHED");
        assertThat(windows("tidy")).containsExactly("kept");

        // Runs until the test lets it end (a fixed sleep could end first on a loaded machine).
        Path release = Path.of(logDir, "tidy-release-" + UUID.randomUUID());
        String running = post(
                "alice",
                Map.of(
                        "session",
                        "tidy",
                        "pane",
                        "long",
                        "command",
                        "until [ -e " + release + " ]; do sleep 0.2; done; echo long-done",
                        "crqId",
                        "CRQ-8"));
        List<String> quick = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            quick.add(post(
                    "alice",
                    Map.of("session", "tidy", "pane", "quick-" + i, "command", "echo quick-" + i, "crqId", "CRQ-8")));
        }
        quick.forEach(execId -> awaitEnd(execId, "FINISHED"));
        // Each ended command's window is gone with its idle shell; the one still running keeps its window.
        await().atMost(WAIT).untilAsserted(() -> assertThat(windows("tidy")).containsExactlyInAnyOrder("kept", "long"));
        // What they printed is kept all the same: in the log and the recording.
        quick.forEach(execId -> as("alice")
                .get("/execs/" + execId + "/recording")
                .then()
                .statusCode(200)
                .body(containsString("quick-")));
        try {
            Files.createFile(release);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        awaitEnd(running, "FINISHED");
        await().atMost(WAIT).untilAsserted(() -> assertThat(windows("tidy")).containsExactly("kept"));

        // A kept window is reused by the next exec for it, which (not asked to keep it) closes it when it ends.
        String reuse = post("alice", Map.of("session", "tidy", "pane", "kept", "command", "true", "crqId", "CRQ-8"));
        awaitEnd(reuse, "FINISHED");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                                .lines())
                        .doesNotContain("tidy"));
    }

    @Test
    void aWindowIsClosedOnlyWhileItStillRunsTheEndedExecsWrapper() {
        // An exec ended in window w while another exec was started there meanwhile: its window is not taken.
        panes.start("tidy-race", "w", List.of("sleep", "60"));
        assertThat(panes.closeEnded(
                        "tidy-race", "w", Path.of(logDir, "ended-exec.sh").toString()))
                .isFalse();
        assertThat(windows("tidy-race")).containsExactly("w");
        assertThat(panes.closeEnded("tidy-race", "nothing-here", "x.sh")).isFalse();
        assertThat(panes.closeEnded("no-such-session", "w", "x.sh")).isFalse();
        tmux(socket, List.of("kill-session", "-t", "=tidy-race"));
    }

    private List<String> windows(String session) {
        return tmux(socket, List.of("list-windows", "-t", "=" + session, "-F", "#{window_name}"))
                .lines()
                .toList();
    }

    @Test
    void onlyAllowedUsersMayAskAndBadRequestsAnswerWithProblems() {
        as("bob")
                .body(Map.of("session", "s", "pane", "p", "command", "true", "crqId", "CRQ-1"))
                .post("/execs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("bob"));
        given().body("{}").contentType(ContentType.JSON).post("/execs").then().statusCode(401);
        as("alice")
                .body(Map.of("session", "s", "pane", "bad pane!", "command", "true", "crqId", "CRQ-1"))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("pane"));
        as("alice")
                .body(Map.of("session", "s.x", "pane", "p", "command", "true", "crqId", "CRQ-1"))
                .post("/execs")
                .then()
                .statusCode(400)
                .body("detail", containsString("session"));
        as("alice")
                .body(Map.of("session", "s", "pane", "p", "command", "true"))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("crqId"));
        as("alice")
                .body(Map.of(
                        "session",
                        "s",
                        "pane",
                        "p",
                        "command",
                        "true",
                        "crqId",
                        "CRQ-1",
                        "cwd",
                        "/nonexistent/" + UUID.randomUUID()))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("cwd"));
        as("alice")
                .body(Map.of("session", "s", "pane", "p", "command", " ", "crqId", "CRQ-1"))
                .post("/execs")
                .then()
                .statusCode(400)
                .body("detail", containsString("command"));
        as("alice")
                .body(Map.of("session", "s", "pane", "p", "command", "x".repeat(8001), "crqId", "CRQ-1"))
                .post("/execs")
                .then()
                .statusCode(400)
                .body("detail", containsString("8000"));
        as("alice")
                .body(Map.of("session", "s", "pane", "p", "command", "true", "crqId", "CRQ-1", "colour", "red"))
                .post("/execs")
                .then()
                .statusCode(400)
                .body("detail", containsString("colour"));
        as("alice").get("/execs/no-such-exec").then().statusCode(404).contentType("application/problem+json");
        as("alice").get("/execs?crq=nonsense").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void everyExecIsRecordedAsAnAsciicastWithItsTimingAndServedForReplay() throws Exception {
        String command = "printf 'one\\n'; sleep 0.3; printf 'two\\n'";
        long before = Instant.now().getEpochSecond();
        String execId = post("alice", Map.of("session", "crq11", "pane", "rec", "command", command, "crqId", "CRQ-11"));
        awaitEnd(execId, "FINISHED");

        Path cast = Path.of(recordingsDir, execId + ".cast");
        String castSha = sha256(cast);
        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("recordingPath", equalTo(cast.toString()))
                .body("recordingSha256", equalTo(castSha))
                .body("outputSha256", notNullValue());

        List<String> lines = Files.readAllLines(cast, StandardCharsets.UTF_8);
        JsonNode header = JSON.readTree(lines.get(0));
        assertThat(header.get("version").asInt()).isEqualTo(2);
        // A new session's window is 200x50 (TmuxPanes), and script gives the command the pane's size.
        assertThat(header.get("width").asInt()).isEqualTo(200);
        assertThat(header.get("height").asInt()).isEqualTo(50);
        assertThat(header.get("timestamp").asLong())
                .isBetween(before - 2, Instant.now().getEpochSecond());
        assertThat(header.get("command").asText()).isEqualTo(command);
        assertThat(header.get("title").asText()).isEqualTo("CRQ-11 crq11:rec");
        assertThat(header.at("/env/SHELL").asText()).endsWith("bash");
        assertThat(header.at("/env/TERM").asText()).isNotBlank();

        double previous = 0;
        Double one = null;
        Double two = null;
        StringBuilder output = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isArray()).isTrue();
            assertThat(event.size()).isEqualTo(3);
            double time = event.get(0).asDouble();
            assertThat(time).isGreaterThanOrEqualTo(previous);
            previous = time;
            assertThat(event.get(1).asText()).isIn("o", "r");
            if (event.get(1).asText().equals("o")) {
                output.append(event.get(2).asText());
                // What the pane got: the terminal turns each \n into \r\n.
                if (one == null && output.indexOf("one\r\n") >= 0) {
                    one = time;
                }
                if (two == null && output.indexOf("two\r\n") >= 0) {
                    two = time;
                }
            }
        }
        assertThat(output.toString()).contains("one\r\n", "two\r\n", "[CRQ-11 " + execId + "] $ " + command);
        assertThat(one).isNotNull();
        assertThat(two).isNotNull();
        assertThat(two - one).isGreaterThanOrEqualTo(0.25);
        // script's own files (never masked) are gone once the recording is made.
        assertThat(Path.of(logDir, execId + ".timing")).doesNotExist();
        assertThat(Path.of(logDir, execId + ".typescript")).doesNotExist();

        JsonNode audit = audits.await(v -> v.contains(execId), WAIT).data();
        assertThat(audit.at("/payload/recordingPath").asText()).isEqualTo(cast.toString());
        assertThat(audit.at("/payload/recordingSha256").asText()).isEqualTo(castSha);

        byte[] served = as("bob")
                .get("/execs/" + execId + "/recording")
                .then()
                .statusCode(200)
                .contentType("application/x-asciicast")
                .extract()
                .asByteArray();
        assertThat(served).isEqualTo(Files.readAllBytes(cast));
        given().get("/execs/" + execId + "/recording").then().statusCode(401);
        as("bob")
                .get("/execs/no-such-exec/recording")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such-exec"));
    }

    @Test
    void configuredSecretsAreMaskedInTheLogTheRecordingAndTheEvents() throws Exception {
        String envSecret = System.getenv(TestTmuxResource.ENV_SECRET_NAME);
        assertThat(envSecret).as("set by the build (pom.xml)").isNotBlank();
        String secret = TestTmuxResource.SECRET;
        // The literal secret once in the command itself, once only in what it prints; the other from the environment.
        String command = "echo 'token=" + secret + "'; printf 'split=%s%s\\n' " + secret.substring(0, 5) + " "
                + secret.substring(5) + "; echo \"deploy=$" + TestTmuxResource.ENV_SECRET_NAME + "\""
                // Encoded forms: as an Authorization header would carry it, and as hex.
                + "; printf 'basic=%s\\n' \"$(printf 'dave:%s' " + secret + " | base64)\""
                + "; printf 'hex=%s\\n' \"$(printf %s " + secret + " | od -An -tx1 | tr -d ' \\n')\"";
        String execId =
                post("dave", Map.of("session", "crq12", "pane", "secrets", "command", command, "crqId", "CRQ-112"));
        awaitEnd(execId, "FINISHED");

        String log = Files.readString(Path.of(logDir, execId + ".log"));
        String basic = Base64.getEncoder().encodeToString(("dave:" + secret).getBytes(StandardCharsets.UTF_8));
        String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
        assertThat(log)
                .startsWith("token=***\nsplit=***\ndeploy=***\nbasic=")
                .contains("hex=***\n")
                .doesNotContain(basic, hex);
        // What the agent keeps: the row and the scripts name the command, masked; the command file is gone.
        String stored = (String) em.createNativeQuery("SELECT command FROM managed_exec WHERE exec_id = ?1")
                .setParameter(1, execId)
                .getSingleResult();
        assertThat(stored).doesNotContain(secret).contains("token=***");
        try (var files = Files.list(Path.of(logDir))) {
            List<Path> ofExec = files.filter(f -> f.getFileName().toString().startsWith(execId))
                    .toList();
            assertThat(ofExec).noneMatch(f -> f.getFileName().toString().endsWith(".argv"));
            for (Path file : ofExec) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(secret, envSecret, basic, hex);
            }
        }
        String cast = Files.readString(Path.of(recordingsDir, execId + ".cast"));
        assertThat(cast).doesNotContain(secret, envSecret).contains("token=***", "split=***", "deploy=***");
        String served = as("dave")
                .get("/execs/" + execId + "/recording")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(served).isEqualTo(cast);
        as("dave")
                .get("/execs/" + execId)
                .then()
                .body("command", not(containsString(secret)))
                .body("command", containsString("token=***"));

        AuditOnTopic audit = audits.await(v -> v.contains(execId), WAIT);
        assertThat(audit.json()).doesNotContain(secret, envSecret).contains("token=***");
        assertThat(audit.data().at("/payload/outputSha256").asText())
                .isEqualTo(sha256(Path.of(logDir, execId + ".log")));
        // Nor is either in any record on the wire that holds the exec's events (a batch carries them as they are).
        assertThat(topics.awaitAll(Topics.AUDIT_EVENTS, v -> v.contains(execId), 1, WAIT))
                .allSatisfy(r -> assertThat(r.value()).doesNotContain(secret, envSecret));
        String finished = topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(execId), WAIT)
                .value();
        assertThat(finished).doesNotContain(secret, envSecret);
        // Only script's recording held them unmasked, and it is gone.
        assertThat(Path.of(logDir, execId + ".typescript")).doesNotExist();
    }

    @Test
    void theHostPolicyRefusesDeniedCommandsAndEveryRefusalIsAudited() {
        as("alice")
                .body(Map.of("session", "policy", "pane", "p", "command", "sudo shutdown -h now", "crqId", "CRQ-31"))
                .post("/execs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("policy denies"));
        JsonNode denied = audits.await(v -> v.contains("exec-refused") && v.contains("CRQ-31"), WAIT)
                .data();
        assertThat(denied.at("/payload/requestedBy").asText()).isEqualTo("alice");
        assertThat(denied.at("/payload/command").asText()).isEqualTo("sudo shutdown -h now");
        assertThat(denied.at("/payload/reason").asText()).contains("policy denies");
        as("alice")
                .get("/execs?crq=CRQ-31")
                .then()
                .statusCode(200)
                .body("status", hasItem("FAILED"))
                .body("reason", hasItem(containsString("refused")));
        // Nothing ran: no pane was made for it.
        assertThat(tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                        .lines())
                .doesNotContain("policy");

        // A user without an allowed role is refused over REST too, and that refusal is on the record as well.
        as("bob")
                .body(Map.of("session", "policy", "pane", "p", "command", "true", "crqId", "CRQ-32"))
                .post("/execs")
                .then()
                .statusCode(403);
        JsonNode byRole = audits.await(v -> v.contains("exec-refused") && v.contains("CRQ-32"), WAIT)
                .data();
        assertThat(byRole.at("/payload/requestedBy").asText()).isEqualTo("bob");
        assertThat(byRole.at("/payload/reason").asText()).contains("bob");
    }

    @Test
    void commandsRunOnlyForACrqThisAgentKnowsAndThatIsStillOpenAndEachRefusalIsAudited() {
        // Unknown: no CrqCreated ever came. The request waits for it (gitcrq.exec.crq-wait), then is refused: 404,
        // recorded, and audited on the host's own trail (no CRQ of that name exists), naming the CRQ asked for.
        String marker = "unknown-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .body(Map.of("session", "gate", "pane", "unknown", "command", "echo " + marker, "crqId", "crq-999"))
                .post("/execs")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("CRQ-999 is not known on " + host));
        JsonNode unknown = refusalAudited(marker);
        assertThat(unknown.get("crqId").isNull())
                .as("the host's own trail: %s", unknown)
                .isTrue();
        assertThat(unknown.at("/payload/crqId").asText()).isEqualTo("CRQ-999");
        assertThat(unknown.at("/payload/reason").asText()).contains("CRQ-999 is not known");
        as("alice")
                .get("/execs/" + unknown.at("/payload/execId").asText())
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("refused: CRQ-999 is not known"));

        // Closed (or merged, rejected, cancelled): refused at once, 409, audited on the CRQ's own trail.
        crqs.created("CRQ-950", "Done already", "demo");
        crqs.moved("CRQ-950", "DRAFT", "CLOSED");
        String closedMarker = "closed-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .body(Map.of(
                        "session", "gate", "pane", "closed", "command", "echo " + closedMarker, "crqId", "CRQ-950"))
                .post("/execs")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("CRQ-950 is CLOSED"));
        JsonNode closed = refusalAudited(closedMarker);
        assertThat(closed.get("crqId").asText()).isEqualTo("CRQ-950");
        as("alice")
                .get("/execs?crq=CRQ-950")
                .then()
                .statusCode(200)
                .body("status", hasItem("FAILED"))
                .body("reason", hasItem(containsString("CRQ-950 is CLOSED")));

        // By Kafka, with a valid grant: the same refusals.
        String unknownByKafka = id("gate-unknown");
        String closedByKafka = id("gate-closed");
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                json(TestGrants.granted(
                        unsigned(unknownByKafka, host, "gate", "k-unknown", "echo " + marker, "alice", "CRQ-998"))));
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                json(TestGrants.granted(unsigned(
                        closedByKafka, host, "gate", "k-closed", "echo " + closedMarker, "alice", "CRQ-950"))));
        awaitEnd(unknownByKafka, "FAILED");
        awaitEnd(closedByKafka, "FAILED");
        as("alice").get("/execs/" + unknownByKafka).then().body("reason", containsString("CRQ-998 is not known"));
        as("alice").get("/execs/" + closedByKafka).then().body("reason", containsString("CRQ-950 is CLOSED"));
        JsonNode unknownKafkaAudit = audits.await(v -> v.contains("exec-refused") && v.contains(unknownByKafka), WAIT)
                .data();
        assertThat(unknownKafkaAudit.get("crqId").isNull()).isTrue();
        assertThat(unknownKafkaAudit.at("/payload/crqId").asText()).isEqualTo("CRQ-998");
        audits.await(
                v -> v.contains("exec-refused") && v.contains(closedByKafka) && v.contains("\"crqId\":\"CRQ-950\""),
                WAIT);
        // Nothing refused ran: no pane was made for any of them.
        assertThat(tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                        .lines())
                .doesNotContain("gate");
    }

    @Test
    void aRequestRefusedWithoutACrqIsRecordedAndAuditedOnTheHostsOwnTrail() {
        String marker = "nocrq-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .body(Map.of("session", "nocrq", "pane", "p", "command", "echo " + marker))
                .post("/execs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("crqId is required"));
        JsonNode audited = refusalAudited(marker);
        assertThat(audited.get("host").asText()).isEqualTo(host);
        assertThat(audited.get("crqId").isNull()).as("%s", audited).isTrue();
        assertThat(audited.at("/payload/crqId").isNull()).isTrue();
        assertThat(audited.at("/payload/requestedBy").asText()).isEqualTo("alice");
        assertThat(audited.at("/payload/reason").asText()).contains("crqId is required");
        as("alice")
                .get("/execs/" + audited.at("/payload/execId").asText())
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("refused: crqId is required"));

        // What cannot be stored as it is (a NUL, which only a request by Kafka can carry here: REST refuses it at the
        // edge) is still recorded and audited, shown as a visible symbol.
        String nul = id("nul");
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                json(TestGrants.granted(
                        unsigned(nul, host, "nocrq", "k", "echo " + nul + "\u0000x", "alice", "CRQ-1"))));
        awaitEnd(nul, "FAILED");
        as("alice")
                .get("/execs/" + nul)
                .then()
                .body("reason", containsString("NUL"))
                .body("command", equalTo("echo " + nul + "\u2400x"));
        assertThat(refusalAudited(nul).at("/payload/command").asText()).isEqualTo("echo " + nul + "\u2400x");
    }

    @Test
    void aRequestArrivingBeforeItsCrqsCreationWaitsForItAndRuns() throws Exception {
        // crq-service announces a CRQ on one topic, and its requests come on another (or by REST): the agent may see
        // a request first. It waits for the CRQ (at most gitcrq.exec.crq-wait) rather than refuse a command its user
        // was just allowed; here both requests reach the agent before their CRQs do.
        CompletableFuture<io.restassured.response.Response> rest = CompletableFuture.supplyAsync(() -> as("alice")
                .body(Map.of("session", "race", "pane", "rest", "command", "echo raced-by-rest", "crqId", "CRQ-960"))
                .post("/execs"));
        String byKafka = id("race-kafka");
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                json(TestGrants.granted(
                        unsigned(byKafka, host, "race", "kafka", "echo raced-by-kafka", "alice", "CRQ-961"))));
        Thread.sleep(1_500); // the race made on purpose: the requests are on their way before the CRQs exist
        crqs.announce(new CrqCreated("CRQ-960", "Raced", null, "alice", "demo", "main", Instant.now()));
        crqs.announce(new CrqCreated("CRQ-961", "Raced too", null, "alice", "demo", "main", Instant.now()));

        String byRest = rest.get(2, TimeUnit.MINUTES)
                .then()
                .statusCode(202)
                .body("crqId", equalTo("CRQ-960"))
                .extract()
                .path("execId");
        awaitEnd(byRest, "FINISHED");
        awaitEnd(byKafka, "FINISHED");
        as("alice").get("/execs/" + byKafka).then().body("exitCode", equalTo(0));
    }

    @Test
    void requestsFromKafkaRunForThisHostOnlyAndFromAllowedUsersOnly() {
        String other = "other-" + UUID.randomUUID();
        String byAlice = "kafka-" + UUID.randomUUID();
        String byBob = "kafka-" + UUID.randomUUID();
        operator.send(Topics.EXEC_REQUESTS, "elsewhere", request(other, "elsewhere", "echo not-here", "alice"));
        operator.send(Topics.EXEC_REQUESTS, host, "{not an event");
        operator.send(Topics.EXEC_REQUESTS, host, request(byBob, host, "rm -rf /tmp/nothing-" + byBob, "bob"));
        operator.send(Topics.EXEC_REQUESTS, host, request(byAlice, host, "echo from-kafka", "alice"));

        operator.await(Topics.deadLetter("exec-agent"), v -> v.contains("{not an event"), WAIT);

        awaitEnd(byAlice, "FINISHED");
        as("alice").get("/execs/" + byAlice).then().body("exitCode", equalTo(0)).body("requestedBy", equalTo("alice"));
        topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(byAlice), WAIT);

        AuditOnTopic refused = audits.await(v -> v.contains("exec-refused") && v.contains(byBob), WAIT);
        assertThat(refused.key()).isEqualTo(host);
        JsonNode data = refused.data();
        assertThat(data.get("kind").asText()).isEqualTo("exec-refused");
        assertThat(data.at("/payload/requestedBy").asText()).isEqualTo("bob");
        assertThat(data.at("/payload/command").asText()).isEqualTo("rm -rf /tmp/nothing-" + byBob);
        assertThat(data.at("/payload/reason").asText()).contains("bob");
        as("alice")
                .get("/execs/" + byBob)
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("refused"));
        assertThat(Path.of(logDir, byBob + ".log")).doesNotExist();
        as("alice").get("/execs/" + byBob).then().body("recordingPath", nullValue());
        as("alice")
                .get("/execs/" + byBob + "/recording")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no recording"));

        as("alice").get("/execs/" + other).then().statusCode(404);
    }

    @Test
    void aRequestFromKafkaRunsOnlyWithAGrantThatVerifiesAndEachRefusalIsAuditedWithItsReason() throws IOException {
        String marker = "granted-" + UUID.randomUUID().toString().substring(0, 8);
        String pwned = "/tmp/gitcrq-pwned-" + UUID.randomUUID();
        Map<String, ExecRequested> refusedRequests = new java.util.LinkedHashMap<>();
        // Each in a pane of its own, so that a refusal is not mistaken for a busy pane.
        ExecRequested none = unsigned(id("nogrant"), host, "grants", "none", "touch " + pwned + "-none", "alice");
        refusedRequests.put("missing", none);
        ExecRequested expired = TestGrants.expired(
                unsigned(id("expired"), host, "grants", "expired", "touch " + pwned + "-expired", "alice"));
        refusedRequests.put("expired", expired);
        ExecRequested forged = TestGrants.forged(
                unsigned(id("forged"), host, "grants", "forged", "touch " + pwned + "-forged", "admin"));
        refusedRequests.put("untrusted_key", forged);
        ExecRequested otherHost = TestGrants.forHost(
                unsigned(id("otherhost"), host, "grants", "otherhost", "touch " + pwned + "-host", "alice"),
                "some-other-host");
        refusedRequests.put("other_host", otherHost);
        String swappedId = id("swapped");
        ExecRequested swapped = TestGrants.swapped(
                unsigned(swappedId, host, "grants", "swapped", "touch " + pwned + "-swapped", "alice"),
                unsigned(swappedId, host, "grants", "swapped", "echo harmless", "alice"));
        refusedRequests.put("digest_mismatch", swapped);
        for (ExecRequested request : refusedRequests.values()) {
            operator.send(Topics.EXEC_REQUESTS, host, json(request));
        }
        ExecRequested valid =
                TestGrants.granted(unsigned(id("valid"), host, "grants", "valid", "echo " + marker, "alice"));
        operator.send(Topics.EXEC_REQUESTS, host, json(valid));

        awaitEnd(valid.execId(), "FINISHED");
        assertThat(Files.readString(Path.of(logDir, valid.execId() + ".log"))).contains(marker);
        topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(valid.execId()), WAIT);

        refusedRequests.forEach((why, request) -> {
            JsonNode refused = audits.await(v -> v.contains("exec-refused") && v.contains(request.execId()), WAIT)
                    .data();
            assertThat(refused.at("/payload/reason").asText()).as(why).startsWith("exec grant refused (" + why + ")");
            assertThat(refused.at("/payload/requestedBy").asText()).isEqualTo(request.requestedBy());
            as("alice")
                    .get("/execs/" + request.execId())
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("FAILED"))
                    .body("reason", containsString("refused: exec grant refused (" + why + ")"));
            if (request.grant() != null) {
                assertThat(refused.toString())
                        .as("the token stays out of the audit")
                        .doesNotContain(request.grant());
            }
            assertThat(Path.of(logDir, request.execId() + ".log")).doesNotExist();
        });
        // Nothing refused ran: no file touched (and none has a log, above).
        refusedRequests
                .values()
                .forEach(r -> assertThat(Path.of(r.command().substring("touch ".length())))
                        .doesNotExist());

        // A replay of the valid request (same exec id, same grant) is ignored: it ran once.
        operator.send(Topics.EXEC_REQUESTS, host, json(valid));
        String after = id("after");
        operator.send(
                Topics.EXEC_REQUESTS,
                host,
                json(TestGrants.granted(unsigned(after, host, "grants", "valid", "echo after", "alice"))));
        awaitEnd(after, "FINISHED");
        assertThat(count("SELECT count(*) FROM managed_exec WHERE exec_id = '" + valid.execId() + "'"))
                .isEqualTo(1);
    }

    private static String id(String what) {
        return what + "-" + UUID.randomUUID();
    }

    @Test
    void aRestartSettlesExecsLeftRunning() throws IOException {
        String ended = "left-" + UUID.randomUUID();
        String lost = "left-" + UUID.randomUUID();
        insertRunning(ended, "ended");
        insertRunning(lost, "lost");
        Files.writeString(Path.of(logDir, ended + ".log"), "partial output\n");
        Files.writeString(Path.of(logDir, ended + ".exit"), "5\n");
        // What script left: the recording is made on recovery like at any other end.
        Files.writeString(Path.of(logDir, ended + ".timing"), """
                H 0.000000 START_TIME 2026-01-02 03:04:05+00:00
                H 0.000000 COLUMNS 120
                H 0.000000 LINES 40
                O 0.250000 16
                H 0.000000 EXIT_CODE 5
                """);
        Files.writeString(
                Path.of(logDir, ended + ".typescript"),
                "Script started on 2026-01-02 [COMMAND=\"x\"]\n" + "partial output\r\nScript done on 2026-01-02\n");
        // The lost one was traced: its source was running, and its strace's output is left behind.
        insertAuditSource(lost, "process");
        Files.writeString(Path.of(logDir, lost + ".strace"), "4242 execve(\"/bin/make\", [\"make\"]) = 0\n");

        recovery.recover();

        Path cast = Path.of(recordingsDir, ended + ".cast");
        as("alice")
                .get("/execs/" + ended)
                .then()
                .body("status", equalTo("FINISHED"))
                .body("exitCode", equalTo(5))
                .body("recordingPath", equalTo(cast.toString()));
        assertThat(Files.readAllLines(cast))
                .containsExactly(
                        "{\"version\":2,\"width\":120,\"height\":40,\"timestamp\":1767323045,\"command\":\"make\","
                                + "\"title\":\"CRQ-10 restart:ended\",\"env\":{}}",
                        "[0.250000,\"o\",\"partial output\\r\\n\"]");
        topics.await(Topics.EXEC_EVENTS, v -> v.contains(ended) && v.contains("\"exitCode\":5"), WAIT);
        as("alice")
                .get("/execs/" + lost)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("restarted"))
                .body("reason", containsString("pane no longer runs it"));
        topics.await(
                Topics.EXEC_EVENTS,
                v -> v.contains(lost) && v.contains("\"status\":\"FAILED\"") && v.contains("\"exitCode\":-1"),
                WAIT);
        audits.await(v -> v.contains("exec-failed") && v.contains(lost), WAIT);
        as("alice")
                .get("/execs/" + lost)
                .then()
                .body("audit.process.status", equalTo("FAILED"))
                .body("audit.process.reason", containsString("restarted"));
        assertThat(Path.of(logDir, lost + ".strace")).doesNotExist();
    }

    @Test
    void anExecTheAgentLostTrackOfWhileItRunsIsSettledOnceItIsOldAndARecentOneIsLeftAlone() throws IOException {
        String orphan = "orphan-" + UUID.randomUUID();
        String lost = "lost-" + UUID.randomUUID();
        String ended = "ended-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        Instant old = Instant.now().minusSeconds(120);
        // What a connection lost as the acceptance committed leaves: the row, and nothing that launches it.
        insertAccepted(orphan, "orphan", old, null);
        // Launch recorded, then the launcher failed before the watch: no pane runs it, no exit status…
        insertAccepted(lost, "lost", old, old);
        // …or one it wrote before anybody looked.
        insertAccepted(ended, "ended", old, old);
        Files.writeString(Path.of(logDir, ended + ".exit"), "3\n");
        insertAccepted(recent, "recent", Instant.now(), null);

        recovery.settleUnconfirmed();

        as("alice")
                .get("/execs/" + orphan)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("never launched"));
        topics.await(
                Topics.EXEC_EVENTS,
                v -> v.contains(orphan) && v.contains("\"status\":\"FAILED\"") && v.contains("never launched"),
                WAIT);
        as("alice")
                .get("/execs/" + lost)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("lost track of it as it was launched"));
        as("alice")
                .get("/execs/" + ended)
                .then()
                .body("status", equalTo("FINISHED"))
                .body("exitCode", equalTo(3));
        as("alice").get("/execs/" + recent).then().body("status", equalTo("RUNNING"));
    }

    @Transactional
    void insertAccepted(String execId, String pane, Instant acceptedAt, Instant launchedAt) {
        em.createNativeQuery("""
                        INSERT INTO managed_exec (exec_id, host, session, pane, command, crq_id, cwd, requested_by,
                            status, log_path, started_at, launched_at)
                        VALUES (?1, ?2, 'unconfirmed', ?3, 'make', 'CRQ-10', '/tmp', 'alice', 'RUNNING', ?4, ?5, ?6)""")
                .setParameter(1, execId)
                .setParameter(2, host)
                .setParameter(3, pane)
                .setParameter(4, Path.of(logDir, execId + ".log").toString())
                .setParameter(5, acceptedAt)
                .setParameter(6, launchedAt)
                .executeUpdate();
    }

    @Transactional
    void insertAuditSource(String execId, String kind) {
        em.createNativeQuery("INSERT INTO exec_audit_source (exec_id, kind, status) VALUES (?1, ?2, 'RUNNING')")
                .setParameter(1, execId)
                .setParameter(2, kind)
                .executeUpdate();
    }

    /** Build, a 2x1 matrix of tests of which one fails, a failure() step, a skipped deploy, an always() cleanup. */
    static final String STAGE = """
            name: stage
            on: push
            jobs:
              build:
                outputs:
                  version: ${{ steps.ver.outputs.version }}
                steps:
                  - name: Compile
                    id: ver
                    env:
                      GREETING: hello
                    run: |
                      echo "compiling 1.2.3"
                      echo "compiled $GREETING" > build.txt
                      echo "version=1.2.3" >> "$GITHUB_OUTPUT"
              test:
                needs: build
                strategy:
                  fail-fast: false
                  matrix:
                    suite: [a, b]
                    n: [1]
                steps:
                  - name: Run tests
                    run: |
                      echo "suite ${{ matrix.suite }} of ${{ needs.build.outputs.version }}" > "test-${{ matrix.suite }}.txt"
                      if [ "${{ matrix.suite }}" = a ]; then echo "suite a failed"; exit 3; fi
                  - name: Report failure
                    if: failure()
                    run: echo "failed ${{ matrix.suite }}" > "failure-${{ matrix.suite }}.txt"
                  - name: Upload
                    run: echo uploaded > "upload-${{ matrix.suite }}.txt"
              slow:
                needs: build
                steps:
                  - name: Sleep
                    timeout-minutes: 0.03
                    continue-on-error: true
                    run: |
                      echo start > slow.txt
                      sleep 30
                      echo end >> slow.txt
                  - name: After
                    run: echo after >> slow.txt
              deploy:
                needs: test
                steps:
                  - run: echo deploy > deploy.txt
              cleanup:
                needs: [build, test]
                if: always()
                steps:
                  - name: Clean up
                    run: echo "cleanup $GITCRQ_CRQ ${{ needs.test.result }} ${{ needs.build.outputs.version }}" > cleanup.txt
            """;

    @Test
    void aWorkflowRunsEachStepAsAnAuditedExecInItsOwnPaneAsGitHubActionsWould() throws Exception {
        String runId = as("alice")
                .body(Map.of("crq", "crq-121", "workflow", STAGE, "source", "stage.yml"))
                .post("/workflows")
                .then()
                .statusCode(202)
                .header("Location", containsString("/workflows/"))
                .body("status", equalTo("RUNNING"))
                .body("crqId", equalTo("CRQ-121"))
                .body("name", equalTo("stage"))
                .body("requestedBy", equalTo("alice"))
                .extract()
                .path("runId");
        awaitWorkflow(runId, Duration.ofSeconds(120));

        // Anyone may look; jobs in file order, matrix runs in matrix order.
        JsonNode run = JSON.readTree(as("bob")
                .get("/workflows/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(run.get("status").asText()).isEqualTo("FAILURE");
        assertThat(run.get("session").asText()).isEqualTo("wf-" + runId);
        assertThat(run.get("finishedAt").isNull()).isFalse();
        List<String> jobNames = new ArrayList<>();
        run.get("jobs")
                .forEach(j -> jobNames.add(
                        j.get("name").asText() + "=" + j.get("status").asText()));
        assertThat(jobNames)
                .containsExactly(
                        "build=SUCCESS",
                        "test (a, 1)=FAILURE",
                        "test (b, 1)=SUCCESS",
                        "slow=SUCCESS",
                        "deploy=SKIPPED",
                        "cleanup=SUCCESS");

        assertThat(steps(run, "build")).containsExactly("Compile=SUCCESS/0");
        assertThat(job(run, "build").at("/outputs/version").asText()).isEqualTo("1.2.3");
        assertThat(step(run, "build", "Compile").at("/outputs/version").asText())
                .isEqualTo("1.2.3");
        assertThat(steps(run, "test (a, 1)"))
                .containsExactly("Run tests=FAILURE/3", "Report failure=SUCCESS/0", "Upload=SKIPPED/-");
        assertThat(steps(run, "test (b, 1)"))
                .containsExactly("Run tests=SUCCESS/0", "Report failure=SKIPPED/-", "Upload=SUCCESS/0");
        assertThat(job(run, "test (a, 1)").at("/matrix/suite").asText()).isEqualTo("a");
        JsonNode sleep = step(run, "slow", "Sleep");
        assertThat(sleep.get("status").asText()).isEqualTo("SUCCESS"); // continue-on-error
        assertThat(sleep.get("outcome").asText()).isEqualTo("FAILURE");
        assertThat(sleep.get("timedOut").asBoolean()).isTrue();
        assertThat(Duration.between(
                        Instant.parse(sleep.get("startedAt").asText()),
                        Instant.parse(sleep.get("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(15));
        assertThat(step(run, "slow", "After").get("status").asText()).isEqualTo("SUCCESS");
        assertThat(job(run, "deploy").get("steps")).isEmpty();
        assertThat(steps(run, "cleanup")).containsExactly("Clean up=SUCCESS/0");

        // What the steps did, in the run's workspace.
        Path workspace = Path.of(run.get("workspace").asText());
        assertThat(read(workspace, "build.txt")).isEqualTo("compiled hello");
        assertThat(read(workspace, "test-a.txt")).isEqualTo("suite a of 1.2.3");
        assertThat(read(workspace, "test-b.txt")).isEqualTo("suite b of 1.2.3");
        assertThat(read(workspace, "failure-a.txt")).isEqualTo("failed a");
        assertThat(workspace.resolve("failure-b.txt")).doesNotExist();
        assertThat(read(workspace, "upload-b.txt")).isEqualTo("uploaded");
        assertThat(workspace.resolve("upload-a.txt")).doesNotExist();
        assertThat(workspace.resolve("deploy.txt")).doesNotExist();
        assertThat(read(workspace, "slow.txt")).isEqualTo("start\nafter");
        assertThat(read(workspace, "cleanup.txt")).isEqualTo("cleanup CRQ-121 failure 1.2.3");

        // Every step that ran is an exec of its own, in its own window of the run's session, with log and recording.
        Map<String, String> execIds = new java.util.LinkedHashMap<>();
        for (JsonNode job : run.get("jobs")) {
            for (JsonNode step : job.get("steps")) {
                String name =
                        job.get("name").asText() + " / " + step.get("name").asText();
                if (step.get("status").asText().equals("SKIPPED")) {
                    assertThat(step.get("execId").isNull()).as(name).isTrue();
                    continue;
                }
                String execId = step.get("execId").asText();
                execIds.put(execId, name);
                JsonNode exec = JSON.readTree(as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
                assertThat(exec.get("status").asText()).as(name).isEqualTo("FINISHED");
                assertThat(exec.get("crqId").asText()).isEqualTo("CRQ-121");
                assertThat(exec.get("session").asText()).isEqualTo("wf-" + runId);
                assertThat(exec.get("workflowRunId").asText()).isEqualTo(runId);
                assertThat(exec.get("workflowStep").asText()).isEqualTo(name);
                assertThat(exec.get("requestedBy").asText()).isEqualTo("alice");
                assertThat(exec.get("logPath").asText())
                        .isEqualTo(step.get("logPath").asText());
                assertThat(Path.of(exec.get("logPath").asText())).as(name).exists();
                assertThat(Path.of(exec.get("recordingPath").asText())).as(name).exists();
                if (!step.get("timedOut").asBoolean()) {
                    assertThat(exec.get("exitCode").asInt())
                            .as(name)
                            .isEqualTo(step.get("exitCode").asInt());
                }
            }
        }
        assertThat(execIds).hasSize(8);
        String compile = step(run, "build", "Compile").get("execId").asText();
        assertThat(Files.readString(Path.of(logDir, compile + ".log"))).isEqualTo("compiling 1.2.3\n");
        assertThat(Files.readString(Path.of(
                        logDir,
                        step(run, "test (a, 1)", "Run tests").get("execId").asText() + ".log")))
                .isEqualTo("suite a failed\n");
        as("alice")
                .get("/execs/" + compile + "/recording")
                .then()
                .statusCode(200)
                .body(containsString("compiling 1.2.3"));
        // The step that ran past its timeout-minutes was killed: its sleep never finished.
        as("alice")
                .get("/execs/" + sleep.get("execId").asText())
                .then()
                .body("stoppedBy", equalTo("timeout"))
                .body("timeoutMs", equalTo(1800))
                .body("reason", containsString("timeout of 1.8 s"))
                .body("exitCode", not(equalTo(0)));
        // Each step ran in a window of its own, closed once the step ended: the run leaves no session behind.
        assertThat(as("alice")
                        .get("/execs?crq=CRQ-121")
                        .then()
                        .extract()
                        .jsonPath()
                        .<String>getList("pane"))
                .contains(
                        "build-Compile",
                        "test_a_1-Run_tests",
                        "test_a_1-Report_failure",
                        "test_b_1-Run_tests",
                        "test_b_1-Upload",
                        "slow-Sleep",
                        "slow-After",
                        "cleanup-Clean_up");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                                .lines())
                        .doesNotContain("wf-" + runId));

        // On the real audit topic: each step's exec (naming the run and step), and the run's start and end.
        List<JsonNode> ofRun = new ArrayList<>();
        for (AuditOnTopic a : audits.awaitAll(v -> v.contains(runId), 10, WAIT)) {
            ofRun.add(a.data());
        }
        assertThat(ofRun).allSatisfy(a -> assertThat(a.get("crqId").asText()).isEqualTo("CRQ-121"));
        Map<String, String> audited = new java.util.LinkedHashMap<>();
        ofRun.stream().filter(a -> a.get("kind").asText().equals("exec")).forEach(a -> {
            assertThat(a.at("/payload/workflowRunId").asText()).isEqualTo(runId);
            audited.put(
                    a.at("/payload/execId").asText(),
                    a.at("/payload/workflowStep").asText());
        });
        assertThat(audited).isEqualTo(execIds);
        List<JsonNode> workflowAudits = ofRun.stream()
                .filter(a -> a.get("kind").asText().equals("workflow"))
                .toList();
        assertThat(workflowAudits)
                .extracting(a -> a.at("/payload/event").asText())
                .containsExactlyInAnyOrder("started", "finished");
        JsonNode started = workflowAudits.stream()
                .filter(a -> a.at("/payload/event").asText().equals("started"))
                .findFirst()
                .orElseThrow();
        assertThat(started.at("/payload/workflow").asText()).isEqualTo(STAGE);
        assertThat(started.at("/payload/requestedBy").asText()).isEqualTo("alice");
        JsonNode finished = workflowAudits.stream()
                .filter(a -> a.at("/payload/event").asText().equals("finished"))
                .findFirst()
                .orElseThrow();
        assertThat(finished.at("/payload/status").asText()).isEqualTo("FAILURE");
        assertThat(finished.at("/payload/jobs/1/name").asText()).isEqualTo("test (a, 1)");
        assertThat(finished.at("/payload/jobs/1/steps/0/exitCode").asInt()).isEqualTo(3);
        assertThat(finished.at("/payload/jobs/1/steps/0/execId").asText())
                .isEqualTo(step(run, "test (a, 1)", "Run tests").get("execId").asText());

        // The status is in the database, not only in memory.
        assertThat(workflowRow(runId)).containsExactly("FAILURE", "CRQ-121", "alice", 6L, 10L);
    }

    @Test
    void aWorkflowThatCannotRunIsA400WithTheEnginesMessageAndNothingRuns() {
        long runsBefore = count("SELECT count(*) FROM workflow_run");
        long execsBefore = count("SELECT count(*) FROM managed_exec");
        as("alice")
                .body(Map.of("crq", "CRQ-122", "source", "ci.yml", "workflow", """
                        jobs:
                          build:
                            steps:
                              - run: echo hi > never.txt
                              - name: Checkout
                                uses: actions/checkout@v4
                        """))
                .post("/workflows")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        containsString("ci.yml:6: job 'build' step 2 ('Checkout'): 'uses: actions/checkout@v4'"));
        as("alice")
                .body(Map.of("crq", "CRQ-122", "workflow", """
                        jobs:
                          a: {needs: b, steps: [{run: "true"}]}
                          b: {needs: a, steps: [{run: "true"}]}
                        """))
                .post("/workflows")
                .then()
                .statusCode(400)
                .body("detail", containsString("cycle"));
        as("alice")
                .body(Map.of("crq", "CRQ-122", "workflow", "jobs: [unclosed"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as("alice")
                .body(Map.of(
                        "crq", "CRQ-122", "path", TestTmuxResource.WORKFLOW_ROOT + "/" + UUID.randomUUID() + ".yml"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .body("detail", containsString("not a file"));
        as("alice")
                .body(Map.of("workflow", "jobs: {a: {steps: [{run: 'true'}]}}"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .body("detail", containsString("crq"));
        as("alice")
                .body(Map.of("crq", "CRQ-122", "workflow", "jobs: {}", "path", "/tmp/x.yml"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .body("detail", containsString("give one of"));
        as("alice")
                .body(Map.of(
                        "crq", "CRQ-122", "workflow", "jobs: {a: {steps: [{run: 'true'}]}}", "session", "bad.session"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .body("detail", containsString("session"));
        // Only those who may run execs may run workflows.
        as("bob")
                .body(Map.of("crq", "CRQ-122", "workflow", "jobs: {a: {steps: [{run: 'true'}]}}"))
                .post("/workflows")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("bob"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/workflows")
                .then()
                .statusCode(401);
        as("alice").get("/workflows/no-such-run").then().statusCode(404).contentType("application/problem+json");

        assertThat(count("SELECT count(*) FROM workflow_run")).isEqualTo(runsBefore);
        assertThat(count("SELECT count(*) FROM managed_exec")).isEqualTo(execsBefore);
    }

    @Test
    void aWorkflowFileOnTheAgentsHostRunsInTheWorkspaceGiven() throws Exception {
        Path workspace = Files.createTempDirectory(TestTmuxResource.WORKFLOW_ROOT, "exec-agent-ws-");
        Files.createDirectories(workspace.resolve(".gitcrq"));
        Files.writeString(workspace.resolve(".gitcrq/stage.yml"), """
                jobs:
                  one:
                    steps:
                      - run: pwd > where.txt
                """);
        String runId = as("dave")
                .body(Map.of(
                        "crq",
                        "CRQ-123",
                        "path",
                        ".gitcrq/stage.yml",
                        "workspace",
                        workspace.toString(),
                        "session",
                        "crq23-wf"))
                .post("/workflows")
                .then()
                .statusCode(202)
                .body("session", equalTo("crq23-wf"))
                .body("source", equalTo(workspace.resolve(".gitcrq/stage.yml").toString()))
                .extract()
                .path("runId");
        awaitWorkflow(runId, WAIT);
        as("dave").get("/workflows/" + runId).then().body("status", equalTo("SUCCESS"));
        assertThat(read(workspace, "where.txt")).isEqualTo(workspace.toString());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                                .lines())
                        .doesNotContain("crq23-wf"));
    }

    @Test
    void failFastCancelsTheOtherMatrixRunByKillingTheProcessesOfItsStepsExec() throws Exception {
        String runId = as("alice")
                .body(Map.of("crq", "CRQ-124", "workflow", """
                        jobs:
                          t:
                            strategy:
                              matrix:
                                k: [fast, slow]
                            steps:
                              - name: Work
                                run: |
                                  if [ "${{ matrix.k }}" = fast ]; then
                                    while [ ! -e slow-started.txt ]; do sleep 0.1; done
                                    exit 1
                                  fi
                                  echo started > slow-started.txt
                                  sleep 30
                                  echo done > slow-done.txt
                              - name: Never
                                run: echo never > never.txt
                        """))
                .post("/workflows")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
        awaitWorkflow(runId, WAIT);

        JsonNode run = JSON.readTree(
                as("alice").get("/workflows/" + runId).then().extract().asString());
        assertThat(run.get("status").asText()).isEqualTo("FAILURE");
        assertThat(steps(run, "t (fast)")).containsExactly("Work=FAILURE/1", "Never=SKIPPED/-");
        assertThat(job(run, "t (slow)").get("status").asText()).isEqualTo("CANCELLED");
        JsonNode work = step(run, "t (slow)", "Work");
        assertThat(work.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(steps(run, "t (slow)").get(1)).isEqualTo("Never=CANCELLED/-");
        assertThat(Duration.between(
                        Instant.parse(work.get("startedAt").asText()),
                        Instant.parse(work.get("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(15));
        as("alice")
                .get("/execs/" + work.get("execId").asText())
                .then()
                .body("status", equalTo("FINISHED"))
                .body("stoppedBy", equalTo("cancel"))
                .body("exitCode", not(equalTo(0)));
        Path workspace = Path.of(run.get("workspace").asText());
        assertThat(workspace.resolve("slow-started.txt")).exists();
        assertThat(workspace.resolve("slow-done.txt")).doesNotExist();
        audits.await(v -> v.contains(work.get("execId").asText()) && v.contains("\"cancel\""), WAIT);
    }

    /** Polls quietly (a failed RestAssured assertion would log every request) until the run has ended. */
    static void awaitWorkflow(String runId, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !"RUNNING"
                        .equals(as("alice")
                                .get("/workflows/" + runId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("status")));
    }

    static JsonNode job(JsonNode run, String name) {
        for (JsonNode job : run.get("jobs")) {
            if (job.get("name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job run " + name + " in " + run);
    }

    static JsonNode step(JsonNode run, String jobName, String stepName) {
        for (JsonNode step : job(run, jobName).get("steps")) {
            if (step.get("name").asText().equals(stepName)) {
                return step;
            }
        }
        throw new AssertionError("no step " + stepName + " in " + job(run, jobName));
    }

    /** Each step of a job run as name=STATUS/exit code. */
    static List<String> steps(JsonNode run, String jobName) {
        List<String> steps = new ArrayList<>();
        for (JsonNode step : job(run, jobName).get("steps")) {
            JsonNode exit = step.get("exitCode");
            steps.add(step.get("name").asText() + "=" + step.get("status").asText() + "/"
                    + (exit == null || exit.isNull() ? "-" : exit.asText()));
        }
        return steps;
    }

    static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file)).strip();
    }

    @Transactional
    List<Object> workflowRow(String runId) {
        Object[] row =
                (Object[]) em.createNativeQuery("""
                        SELECT status, crq_id, requested_by,
                            (SELECT count(*) FROM workflow_job j WHERE j.run_id = r.run_id),
                            (SELECT count(*) FROM workflow_step s WHERE s.run_id = r.run_id)
                        FROM workflow_run r WHERE run_id = ?1""").setParameter(1, runId).getSingleResult();
        return List.of(row);
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    /** A request as crq-service publishes it: with a valid grant for its user. */
    private String request(String execId, String toHost, String command, String user) {
        return json(TestGrants.granted(unsigned(execId, toHost, "crq9", "kafka", command, user)));
    }

    private static ExecRequested unsigned(
            String execId, String toHost, String session, String pane, String command, String user) {
        return unsigned(execId, toHost, session, pane, command, user, "CRQ-9");
    }

    private static ExecRequested unsigned(
            String execId, String toHost, String session, String pane, String command, String user, String crqId) {
        return new ExecRequested(execId, toHost, session, pane, command, crqId, null, null, user);
    }

    /** The exec-refused audit event of the request whose command holds {@code marker}. */
    private JsonNode refusalAudited(String marker) {
        return audits.await(v -> v.contains("exec-refused") && v.contains(marker), WAIT)
                .data();
    }

    private static String json(ExecRequested request) {
        return EventCodec.toJson(EventCodec.envelope("test", request));
    }

    @Transactional
    void insertRunning(String execId, String pane) {
        em.createNativeQuery("""
                        INSERT INTO managed_exec (exec_id, host, session, pane, command, crq_id, cwd, requested_by,
                            status, log_path, started_at, launched_at)
                        VALUES (?1, ?2, 'restart', ?3, 'make', 'CRQ-10', '/tmp', 'alice', 'RUNNING', ?4, ?5, ?5)""")
                .setParameter(1, execId)
                .setParameter(2, host)
                .setParameter(3, pane)
                .setParameter(4, Path.of(logDir, execId + ".log").toString())
                .setParameter(5, Instant.now())
                .executeUpdate();
    }

    @Transactional
    List<Object> row(String execId) {
        Object[] row = (Object[]) em.createNativeQuery(
                        "SELECT status, exit_code, crq_id, requested_by, output_sha256 FROM managed_exec WHERE exec_id = ?1")
                .setParameter(1, execId)
                .getSingleResult();
        return List.of(row);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The tmux CLI on the test's server, as a person would use it. */
    static String tmux(String socket, List<String> args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TMUX");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
