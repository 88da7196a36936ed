package io.gitcrq.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.CheckReported;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.GitPerson;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.PolicyViolation;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The console against a real broker and a real PostgreSQL database of its own: events in, pages and streams out. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "console"))
@QuarkusTestResource(value = FakeExecAgentResource.class, restrictToAnnotatedClass = true)
class ConsoleIT {

    /** The key the tests' host signs its audit batches with (the console shows them; audit-collector checks them). */
    private static final KeyPair HOST_KEY = Ed25519.generate();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHA_A = "a".repeat(40);

    // Each topic is written by its owner, as the broker's ACLs require.
    private final TopicProbe gitWatcher = KafkaBrokerTestResource.probe(TopicAccess.GIT_WATCHER);
    private final TopicProbe crqService = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);
    private final TopicProbe mergeBot = KafkaBrokerTestResource.probe(TopicAccess.MERGE_BOT);
    private final TopicProbe execAgent = KafkaBrokerTestResource.execAgentProbe();
    private final TopicProbe mcpServer = KafkaBrokerTestResource.probe(TopicAccess.MCP_SERVER);

    @TestHTTPResource("/")
    URL base;

    @Inject
    EntityManager em;

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    private static String fresh(String prefix) {
        return prefix + ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private void send(DomainEvent data) {
        String topic = EventType.of(data).topic();
        TopicProbe probe = switch (topic) {
            case Topics.GIT_EVENTS -> gitWatcher;
            case Topics.CRQ_EVENTS, Topics.EXEC_REQUESTS -> crqService;
            case Topics.MERGE_EVENTS -> mergeBot;
            case Topics.AGENT_EVENTS -> mcpServer;
            default -> execAgent;
        };
        probe.send(topic, data.partitionKey(), EventCodec.toJson(EventCodec.envelope("test", data)));
    }

    private static String page(String path) {
        return as("alice").get(path).then().statusCode(200).extract().asString();
    }

    /**
     * Asserts a page until it holds: each topic has a consumer of its own, so the events of one story reach the read
     * model in no fixed order across topics.
     */
    private static void awaitPage(String path, Consumer<String> assertion) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var response = as("alice").get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertion.accept(response.asString());
        });
    }

    @Transactional
    List<Long> changeIds(String crqId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM change WHERE crq_id = ?1 ORDER BY id")
                .setParameter(1, crqId)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    @Test
    void everyTopicFillsTheReadModelAndThePages() {
        String crq = fresh("CRQ-");
        String repo = fresh("repo-");
        String host = fresh("host-");
        String branch = "feature/" + crq;
        Instant t0 = Instant.now().minusSeconds(60);
        GitPerson alice = new GitPerson("Alice", "alice@example.org", t0);

        send(new RepoWatched(repo, "/srv/git/" + repo, "main"));
        send(new CrqCreated(crq, "Add <script>alert(1)</script> guard", "why", "alice", repo, "main", t0));
        send(new CrqStatusChanged(crq, "DRAFT", "SUBMITTED", "alice", null, t0.plusSeconds(1)));
        send(new BranchCreated(repo, branch, SHA_A, List.of(crq), true));
        send(new CommitPushed(repo, branch, SHA_A, List.of(), alice, alice, crq + ": the change", List.of(crq)));
        String unlinked = "b".repeat(40);
        send(new CommitPushed(repo, "main", unlinked, List.of(), alice, alice, "hotfix without a CRQ", List.of()));
        send(new PolicyViolation(repo, "refs/heads/main", unlinked, PolicyViolation.RULE_UNLINKED_COMMIT, "no CRQ id"));
        send(new CrqStatusChanged(crq, "SUBMITTED", "APPROVED", "bob", null, t0.plusSeconds(2)));
        send(new CrqApproved(crq, "bob", "alice", repo, "main", t0.plusSeconds(2), SHA_A));
        send(new CheckReported(repo, SHA_A, "ci/build", CheckReported.PENDING, null, "ci", t0.plusSeconds(3)));
        send(new MergeWaiting(crq, repo, "required check ci/build is PENDING on " + SHA_A, t0.plusSeconds(3)));
        String exec = fresh("exec-");
        send(new ExecRequested(exec, host, "main", "0", "make test", crq, branch, null, "alice"));
        send(new AgentToolCalled(
                fresh("call-"),
                crq,
                "exec_run",
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("command", "make test"),
                AgentToolCalled.OK,
                null,
                "alice",
                t0.plusSeconds(4)));
        send(new ExecFinished(
                exec, host, crq, "main", "0", 3, t0.plusSeconds(4), t0.plusSeconds(5), "/tmp/x.log", "00"));
        var summary = EventCodec.mapper()
                .createObjectNode()
                .put("seen", 12)
                .put("captured", 10)
                .put("dropped", 2)
                .set("droppedBy", EventCodec.mapper().createObjectNode().put("queueFull", 2));
        // Both as exec-agent publishes them: one signed batch record.
        send(AuditSignature.signBatchRecord(
                List.of(
                        new AuditCaptured(host, crq, "file.summary", t0.plusSeconds(5), summary),
                        new AuditCaptured(
                                host,
                                crq,
                                "exec",
                                t0.plusSeconds(5),
                                EventCodec.mapper()
                                        .createObjectNode()
                                        .put("command", "make test")
                                        .put("exitCode", 3))),
                1,
                HOST_KEY.getPrivate(),
                Ed25519.fingerprint(HOST_KEY.getPublic())));
        send(new AuditHeadSigned(host, 2, "d".repeat(64), t0.plusSeconds(6), "key", "sig"));

        // The board: the CRQ under APPROVED, its title escaped, filterable.
        awaitPage("/", body -> assertThat(body).contains("data-crq=\"" + crq + "\" data-status=\"APPROVED\""));
        String board = page("/?repo=" + repo);
        assertThat(board)
                .contains("id=\"crq-" + crq + "\"")
                .contains("Add &lt;script&gt;alert(1)&lt;/script&gt; guard")
                .doesNotContain("<script>alert(1)");
        assertThat(page("/?q=" + crq.toLowerCase(java.util.Locale.ROOT))).contains("data-crq=\"" + crq + "\"");
        assertThat(page("/?requester=dave")).doesNotContain("data-crq=\"" + crq + "\"");
        assertThat(page("/?approver=bob&repo=" + repo)).contains("data-crq=\"" + crq + "\"");

        // The CRQ page: approval for its commit, waiting for a check, branch, commit, exec, timeline of every topic.
        awaitPage(
                "/crqs/" + crq,
                crqPage -> assertThat(crqPage)
                        .contains("id=\"crq-approved-commit\" data-commit=\"" + SHA_A + "\"")
                        .contains("data-approver=\"bob\" data-commit=\"" + SHA_A + "\"")
                        .contains("id=\"crq-merge-state\" data-merge-state=\"WAITING\"")
                        .contains("required check ci/build is PENDING")
                        .contains("data-branch=\"" + branch + "\"")
                        .contains("data-commit=\"" + SHA_A + "\"")
                        .contains("data-check=\"ci/build\" data-status=\"PENDING\"")
                        .contains("data-exec=\"" + exec + "\" data-status=\"FINISHED\"")
                        .contains("data-kind=\"CrqCreated\"")
                        .contains("data-kind=\"CommitPushed\"")
                        .contains("data-kind=\"CrqApproved\"")
                        .contains("data-kind=\"MergeWaiting\"")
                        .contains("data-kind=\"ExecRequested\"")
                        .contains("data-kind=\"ExecFinished\"")
                        .contains("data-kind=\"AuditCaptured\"")
                        .contains("data-kind=\"AgentToolCalled\"")
                        .contains("agent acting for alice called exec_run: OK")
                        .doesNotContain("<script>alert(1)"));

        // The merge queue: WAITING, with what for, and the next action.
        awaitPage(
                "/queues",
                queues -> assertThat(queues)
                        .contains("data-queue=\"" + repo + ":main\"")
                        .contains("data-crq=\"" + crq + "\" data-state=\"WAITING\"")
                        .contains("required check ci/build is PENDING")
                        .contains("merge " + crq + " once it no longer waits"));

        // The host: the exec with its exit code, the audit source's counters, the chain's health.
        awaitPage(
                "/hosts/" + host,
                hostPage -> assertThat(hostPage)
                        .contains("head signed at sequence 2")
                        .contains("data-exec=\"" + exec + "\" data-status=\"FINISHED\" data-exit-code=\"3\"")
                        .contains("data-source=\"file\" data-captured=\"10\" data-dropped=\"2\"")
                        .contains("data-gapless=\"true\" data-max-seq=\"2\"")
                        .contains("data-kind=\"exec\""));

        // The repository: the violation and the unlinked commit.
        awaitPage(
                "/repos/" + repo,
                repoPage -> assertThat(repoPage)
                        .contains("data-rule=\"unlinked-commit\"")
                        .contains("data-commit=\"" + unlinked + "\"")
                        .contains("hotfix without a CRQ")
                        .doesNotContain("data-commit=\"" + SHA_A + "\""));

        // Merged: off the queue, into its recent merges with the approve→merge latency.
        send(new BranchMerged(crq, repo, branch, "main", "c".repeat(40), t0.plusSeconds(65)));
        send(new CrqStatusChanged(crq, "APPROVED", "MERGED", "merge-bot", null, t0.plusSeconds(65)));
        awaitPage(
                "/queues",
                queues -> assertThat(queues)
                        .contains("class=\"merged\" data-crq=\"" + crq + "\"")
                        .doesNotContain("data-crq=\"" + crq + "\" data-state=")
                        .contains("1m 3s"));
        awaitPage(
                "/crqs/" + crq,
                crqPage ->
                        assertThat(crqPage).contains("data-status=\"MERGED\"").contains("data-merge-state=\"MERGED\""));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        String crq = fresh("CRQ-");
        var envelope = EventCodec.envelope(
                "test", new CrqCreated(crq, "once", "", "alice", fresh("repo-"), "main", Instant.now()));
        crqService.send(Topics.CRQ_EVENTS, crq, EventCodec.toJson(envelope));
        crqService.send(Topics.CRQ_EVENTS, crq, EventCodec.toJson(envelope));
        send(new CrqEdited(crq, "twice", "", "alice", Instant.now()));
        await().atMost(WAIT).until(() -> changeIds(crq).size() == 2);
        assertThat(changeIds(crq)).hasSize(2);
    }

    @Test
    void theStreamResumesAfterLastEventIdWithExactlyTheMissedChanges() throws Exception {
        String crq = fresh("CRQ-");
        String repo = fresh("repo-");
        send(new CrqCreated(crq, "streamed", "", "alice", repo, "main", Instant.now()));
        send(new CrqStatusChanged(crq, "DRAFT", "SUBMITTED", "alice", null, Instant.now()));
        send(new CrqEdited(crq, "streamed, edited", "", "alice", Instant.now()));
        await().atMost(WAIT).until(() -> changeIds(crq).size() == 3);
        List<Long> ids = changeIds(crq);

        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "events?crq=" + crq))
                .header("Authorization", basic("bob"))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(ids.get(0)))
                .build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Map.Entry<Long, String>> received = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                Long id = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).strip());
                    } else if (line.startsWith("data:") && id != null) {
                        synchronized (received) {
                            received.add(Map.entry(id, line.substring(5).strip()));
                        }
                        if (received.size() == 3) {
                            return;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The two changes after the one named, at once; then a new one, live.
        await().atMost(WAIT).until(() -> {
            synchronized (received) {
                return received.size() >= 2;
            }
        });
        send(new CrqStatusChanged(crq, "SUBMITTED", "CANCELLED", "alice", "no longer needed", Instant.now()));
        reading.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        response.body().close();
        await().atMost(WAIT).until(() -> changeIds(crq).size() == 4);
        List<Long> all = changeIds(crq);
        assertThat(received.stream().map(Map.Entry::getKey).toList()).containsExactlyElementsOf(all.subList(1, 4));
        assertThat(received.get(0).getValue())
                .contains("\"crqId\":\"" + crq + "\"")
                .contains("\"kind\":\"CrqStatusChanged\"");
        assertThat(received.get(2).getValue()).contains("CANCELLED").contains("no longer needed");
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An exec's page plays its recording, which the console reads from the exec-agent of its host as the viewer (their
     * credentials forwarded); a host whose exec-agent the console does not know gets no player and a 404 problem.
     */
    @Test
    void anExecsPagePlaysItsRecordingReadFromItsHostAsTheViewer() {
        String crq = fresh("CRQ-");
        String exec = fresh("exec-");
        Instant t0 = Instant.now().minusSeconds(10);
        send(new ExecRequested(exec, FakeExecAgentResource.HOST, "s", "p", "echo hi", crq, null, null, "alice"));
        send(new ExecFinished(
                exec, FakeExecAgentResource.HOST, crq, "s", "p", 0, t0, t0.plusSeconds(1), "/tmp/x.log", "00"));
        String cast = "{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\",\"hi\\r\\n\"]\n";
        FakeExecAgentResource.RECORDINGS.put(exec, cast);

        awaitPage(
                "/execs/" + exec,
                html -> assertThat(html)
                        .contains("data-exec=\"" + exec + "\"", "data-status=\"FINISHED\"", "echo hi")
                        .contains("id=\"player\" data-src=\"/execs/" + exec + "/recording\"")
                        .contains("/console/vendor/asciinema-player/asciinema-player.min.js"));
        awaitPage(
                "/hosts/" + FakeExecAgentResource.HOST,
                html -> assertThat(html).contains("href=\"/execs/" + exec + "\""));
        FakeExecAgentResource.AUTHORIZATIONS.clear();
        as("bob")
                .get("/execs/" + exec + "/recording")
                .then()
                .statusCode(200)
                .contentType("application/x-asciicast")
                .body(equalTo(cast));
        assertThat(FakeExecAgentResource.AUTHORIZATIONS).containsExactly(basic("bob"));
        // The player itself is the console's own: bundled by its build, no CDN.
        as("alice")
                .get("/console/vendor/asciinema-player/asciinema-player.min.js")
                .then()
                .statusCode(200)
                .body(containsString("AsciinemaPlayer"));

        String gone = fresh("exec-");
        send(new ExecRequested(gone, FakeExecAgentResource.HOST, "s", "q", "true", crq, null, null, "alice"));
        awaitPage("/execs/" + gone, html -> assertThat(html).contains("data-exec=\"" + gone + "\""));
        as("alice")
                .get("/execs/" + gone + "/recording")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("keeps no recording of exec " + gone));

        String elsewhere = fresh("exec-");
        String otherHost = fresh("host-");
        send(new ExecRequested(elsewhere, otherHost, "s", "p", "true", crq, null, null, "alice"));
        awaitPage(
                "/execs/" + elsewhere,
                html -> assertThat(html).contains("id=\"no-recording\"").doesNotContain("id=\"player\""));
        as("alice")
                .get("/execs/" + elsewhere + "/recording")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("reads no recordings of host " + otherHost));
        as("alice").get("/execs/no-such-exec").then().statusCode(404).contentType("application/problem+json");
        given().get("/execs/" + exec + "/recording").then().statusCode(401);
        as("ci").get("/execs/" + exec + "/recording").then().statusCode(403);
    }

    @Test
    void everyPageAndTheStreamNeedALoginAndAPersonsRole() {
        for (String path :
                List.of("/", "/queues", "/crqs/CRQ-1", "/hosts/h", "/repos/r", "/events", "/console/console.js")) {
            given().get(path).then().statusCode(401);
        }
        given().auth().preemptive().basic("alice", "wrong").get("/").then().statusCode(401);
        as("alice").get("/console/console.js").then().statusCode(200).body(containsString("EventSource"));
        // For people: a CI user (role ci) sees neither the pages nor the stream.
        as("ci").get("/").then().statusCode(403).contentType("application/problem+json");
        as("ci").get("/events").then().statusCode(403);
        as("bob").get("/queues").then().statusCode(200);
        as("admin").get("/").then().statusCode(200);
    }

    @Test
    void badInputIsRefusedWithAProblemNeverA500() {
        as("alice")
                .get("/crqs/CRQ-999999999999")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no change request CRQ-999999999999"));
        as("alice").get("/hosts/no-such-host").then().statusCode(404).contentType("application/problem+json");
        as("alice").get("/repos/no-such-repo").then().statusCode(404).contentType("application/problem+json");
        as("alice").urlEncodingEnabled(false).get("/crqs/CRQ-%00").then().statusCode(400);
        as("alice").urlEncodingEnabled(false).get("/?q=a%00b").then().statusCode(400);
        as("alice").urlEncodingEnabled(false).get("/events?crq=%00").then().statusCode(400);
        as("alice")
                .header("Last-Event-ID", "not-a-number")
                .get("/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Last-Event-ID"));
        as("alice").get("/?q=" + "x".repeat(300)).then().statusCode(400).body(not(containsString("xxxxxxxxxx")));
    }
}
