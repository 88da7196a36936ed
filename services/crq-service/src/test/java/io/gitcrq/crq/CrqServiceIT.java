package io.gitcrq.crq;

import static io.gitcrq.crq.CrqRequests.as;
import static io.gitcrq.crq.CrqRequests.createCrq;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import io.gitcrq.kit.signing.SigningKeyFile;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.GitPerson;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.exec.ExecGrantVerifier;
import io.gitcrq.model.signature.Ed25519;
import io.gitcrq.testsupport.git.TestGit;
import io.gitcrq.testsupport.git.TestRepository;
import io.gitcrq.testsupport.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** crq-service against a real broker and a real PostgreSQL database of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "crq"))
class CrqServiceIT {

    @Inject
    EntityManager em;

    @Inject
    DatabaseConfig database;

    @Inject
    OutboxRelayConfig relayConfig;

    /** Reads CRQ events and sends merge events as merge-bot (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.MERGE_BOT);
    // Git events are git-watcher's to write.
    private final TopicProbe gitWatcher = KafkaBrokerTestResource.probe(TopicAccess.GIT_WATCHER);
    // Exec requests are read as exec-agent reads them.
    private final TopicProbe execAgent = KafkaBrokerTestResource.execAgentProbe();

    @ConfigProperty(name = "gitcrq.exec.grant.signing-key-file")
    String signingKeyFile;

    // Dead letters are read by the broker's administrator.
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    @Test
    void aRepeatedCreateWithItsIdempotencyKeyGetsTheFirstCrqAndMakesNoSecond() {
        String title = "Once only " + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"title\":\"" + title + "\",\"description\":\"why\",\"repo\":\"demo\"}";
        String key = UUID.randomUUID().toString();
        String first = as("alice")
                .header("Idempotency-Key", key)
                .body(body)
                .post("/crqs")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", (String) null)
                .extract()
                .path("id");
        as("alice")
                .body("{\"reason\":\"ready\"}")
                .post("/crqs/" + first + "/submit")
                .then()
                .statusCode(200);

        // Its answer lost, the client sends it again: the CRQ the first try made, as it is now.
        as("alice")
                .header("Idempotency-Key", key)
                .body(body)
                .post("/crqs")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", org.hamcrest.Matchers.endsWith("/crqs/" + first))
                .body("id", equalTo(first))
                .body("status", equalTo("SUBMITTED"));
        // The key with another request is the client's mistake; the same key is another user's own.
        as("alice")
                .header("Idempotency-Key", key)
                .body(body.replace(title, title + " changed"))
                .post("/crqs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key was sent with another request"));
        String daves = as("dave")
                .header("Idempotency-Key", key)
                .body(body)
                .post("/crqs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(daves).isNotEqualTo(first);
        assertThat(count("SELECT count(*) FROM change_request WHERE title = '" + title + "'"))
                .as("CRQs made: alice's once, dave's once")
                .isEqualTo(2);
        assertThat(topics.awaitAll(
                        Topics.CRQ_EVENTS,
                        v -> v.contains("CrqCreated") && v.contains("\"" + title + "\""),
                        2,
                        Duration.ofSeconds(30)))
                .as("CrqCreated events of that title")
                .hasSize(2);
    }

    @Test
    void aCrqIsStoredAndAnnouncedAndFollowsItsLifecycle() {
        String id = createCrq("alice", "Login timeout");
        assertThat(statusInDb(id)).isEqualTo("DRAFT");
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("CrqCreated") && v.contains("\"" + id + "\""),
                Duration.ofSeconds(30));

        // Approving a DRAFT is not a move of its lifecycle.
        as("bob")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("DRAFT"));
        as("alice").post("/crqs/" + id + "/submit").then().statusCode(200).body("status", equalTo("SUBMITTED"));
        // Four eyes: the requester never approves, not even as admin.
        as("alice").post("/crqs/" + id + "/approve").then().statusCode(403);
        String adminCrq = createCrq("admin", "Admin change");
        as("admin").post("/crqs/" + adminCrq + "/submit").then().statusCode(200);
        as("admin")
                .post("/crqs/" + adminCrq + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("may not approve"));

        String head = pushBranch(id).head();
        as("bob")
                .body("{\"reason\":\"looks good\"}")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("approver", equalTo("bob"))
                .body("approvedCommit", equalTo(head))
                .body("history", hasSize(3))
                .body("history[2].reason", equalTo("looks good"));
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("CrqApproved")
                        && v.contains("\"" + id + "\"")
                        && v.contains("\"headCommit\":\"" + head),
                Duration.ofSeconds(30));
        assertThat(statusInDb(id)).isEqualTo("APPROVED");

        // merge-bot reports a block, then a merge: the CRQ shows why, then moves on to CLOSED.
        topics.send(
                Topics.MERGE_EVENTS,
                id,
                EventCodec.toJson(EventCodec.envelope(
                        "test",
                        new MergeBlocked(id, "demo", "feature/x", "branch has a commit of CRQ-99", Instant.now()))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> as("bob").get("/crqs/" + id).then().body("blockedReason", containsString("CRQ-99")));
        topics.send(
                Topics.MERGE_EVENTS,
                id,
                EventCodec.toJson(EventCodec.envelope(
                        "test", new BranchMerged(id, "demo", "feature/x", "main", "abc123", Instant.now()))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("bob")
                        .get("/crqs/" + id)
                        .then()
                        .body("status", equalTo("CLOSED"))
                        .body("mergeCommit", equalTo("abc123"))
                        .body("history.to", org.hamcrest.Matchers.hasItems("MERGED", "CLOSED")));
        as("alice").post("/crqs/" + id + "/cancel").then().statusCode(409);
        // Closed: its title and description stay as they were when it was decided.
        as("alice")
                .body("{\"title\":\"Login timeout, revisited\"}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(id + " is CLOSED"));
        as("alice").get("/crqs/" + id).then().body("title", equalTo("Login timeout"));
    }

    @Test
    void whyMergeBotHoldsAnApprovedCrqIsOnTheCrqUntilItMergesOrBlocks() {
        String id = createCrq("alice", "Queued change");
        as("alice").post("/crqs/" + id + "/submit").then().statusCode(200);
        pushBranch(id);
        as("bob")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("mergeState", equalTo("QUEUED"))
                .body("waitingReason", equalTo(null));

        sendMergeEvent(
                id, new MergeWaiting(id, "demo", "waiting for checks: build (pending) on 1a2b3c4", Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("mergeState", equalTo("WAITING"))
                        .body("waitingReason", equalTo("waiting for checks: build (pending) on 1a2b3c4")));

        // A block replaces the wait, a new wait replaces the block: the CRQ shows merge-bot's latest word only.
        sendMergeEvent(
                id, new MergeBlocked(id, "demo", "feature/x", "required check build failed on 1a2b3c4", Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("mergeState", equalTo("BLOCKED"))
                        .body("waitingReason", equalTo(null))
                        .body("blockedReason", containsString("build failed")));
        sendMergeEvent(
                id, new MergeWaiting(id, "demo", "waiting for checks: build (not reported) on 5d6e7f8", Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("mergeState", equalTo("WAITING"))
                        .body("blockedReason", equalTo(null))
                        .body("waitingReason", containsString("5d6e7f8")));

        sendMergeEvent(id, new BranchMerged(id, "demo", "feature/x", "main", "def456", Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("status", equalTo("CLOSED"))
                        .body("mergeState", equalTo("MERGED"))
                        .body("waitingReason", equalTo(null))
                        .body("blockedReason", equalTo(null)));
    }

    @Test
    void anApprovalIsForTheBranchHeadAndACommitPushedAfterItWithdrawsIt() {
        String id = createCrq("alice", "Approved commit");
        as("alice").post("/crqs/" + id + "/submit").then().statusCode(200);
        // No branch yet: nothing to approve.
        as("bob")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("no branch in repo demo"));

        Branch branch = pushBranch(id);
        String a = branch.head();
        String mainHead = branch.repository().refInBare("refs/heads/main");
        // The approver reviewed another commit than the branch's head: refused, saying the branch moved.
        as("bob")
                .body("{\"commit\":\"" + mainHead + "\"}")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("branch " + branch.name() + " of " + id + " moved: its head is " + a));
        as("bob")
                .body("{\"commit\":\"" + a.substring(0, 7) + "\"}")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("approvedCommit", equalTo(a))
                .body("links.branches[0].head", equalTo(a));
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("CrqApproved") && v.contains("\"" + id + "\"") && v.contains("\"headCommit\":\"" + a),
                Duration.ofSeconds(30));

        // A commit pushed after the approval (it names no CRQ: it is the branch's) withdraws it.
        String b = branch.repository().commitFile("b.txt", "b\n", "more work");
        branch.repository().push(branch.name());
        sendAsGitWatcher(new CommitPushed("demo", branch.name(), b, List.of(a), null, null, "more work", List.of(id)));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("status", equalTo("SUBMITTED"))
                        .body("approvedCommit", equalTo(null))
                        .body("approver", equalTo(null))
                        .body("mergeState", equalTo(null))
                        .body("links.branches[0].head", equalTo(b))
                        .body(
                                "approvalWithdrawn",
                                equalTo("new commit " + b.substring(0, 12) + " pushed to " + branch.name()
                                        + " of demo after bob approved " + a.substring(0, 12)
                                        + "; approve again to merge it"))
                        .body("history[-1].from", equalTo("APPROVED"))
                        .body("history[-1].to", equalTo("SUBMITTED"))
                        .body("history[-1].actor", equalTo("git-watcher"))
                        .body("history[-1].reason", containsString("new commit " + b.substring(0, 12))));
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("CrqStatusChanged")
                        && v.contains("\"crqId\":\"" + id + "\"")
                        && v.contains("\"from\":\"APPROVED\",\"to\":\"SUBMITTED\"")
                        && v.contains("new commit " + b.substring(0, 12)),
                Duration.ofSeconds(30));

        // Approved again, for the new head (the approver names none: the head known now).
        as("bob")
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("approvedCommit", equalTo(b))
                .body("approvalWithdrawn", equalTo(null));
        // A commit naming another CRQ moves the head but leaves the approval: merge-bot refuses such a branch.
        String c = branch.repository().commitFile("c.txt", "c\n", "CRQ-999999: not ours");
        branch.repository().push(branch.name());
        sendAsGitWatcher(new CommitPushed(
                "demo", branch.name(), c, List.of(b), null, null, "CRQ-999999: not ours", List.of("CRQ-999999")));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as("alice").get("/crqs/" + id).then().body("links.branches[0].head", equalTo(c)));
        as("alice")
                .get("/crqs/" + id)
                .then()
                .body("status", equalTo("APPROVED"))
                .body("approvedCommit", equalTo(b));
    }

    /** A branch of the CRQ in a real repository, with one commit of it, announced as git-watcher does. */
    private Branch pushBranch(String id) {
        TestRepository repository;
        try {
            repository = TestRepository.create(
                    TestGit.as("Alice", "alice@example.com"), Files.createTempDirectory("crq-service-it-"), "demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = "feature/" + id + "-work";
        repository.git("checkout", "--quiet", "-b", name);
        String head = repository.commitFile("work.txt", "work\n", id + ": the work");
        repository.push(name);
        sendAsGitWatcher(new BranchCreated("demo", name, head, List.of(id), true));
        sendAsGitWatcher(new CommitPushed(
                "demo",
                name,
                head,
                List.of(repository.refInBare("refs/heads/main")),
                null,
                null,
                id + ": the work",
                List.of(id)));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as("alice")
                        .get("/crqs/" + id)
                        .then()
                        .body("links.branches[0].branch", equalTo(name))
                        .body("links.branches[0].head", equalTo(head))
                        .body("links.commits", hasSize(1)));
        return new Branch(repository, name, head);
    }

    private record Branch(TestRepository repository, String name, String head) {}

    private void sendAsGitWatcher(DomainEvent event) {
        gitWatcher.send(Topics.GIT_EVENTS, "demo", EventCodec.toJson(EventCodec.envelope("gitcrq/git-watcher", event)));
    }

    private void sendMergeEvent(String crqId, DomainEvent event) {
        topics.send(Topics.MERGE_EVENTS, crqId, EventCodec.toJson(EventCodec.envelope("gitcrq/merge-bot", event)));
    }

    @Test
    void commitsAreLinkedOnceEvenWhenDeliveredTwiceAndLookedUpBothWays() {
        String id = createCrq("dave", "Link me");
        String event = EventCodec.toJson(EventCodec.envelope(
                "test",
                new CommitPushed(
                        "demo",
                        "feature/" + id + "-x",
                        "c0ffee" + id,
                        List.of(),
                        null,
                        null,
                        id + ": first commit",
                        List.of(id, "CRQ-999999"))));
        gitWatcher.send(Topics.GIT_EVENTS, "demo", event);
        gitWatcher.send(Topics.GIT_EVENTS, "demo", event); // a redelivery

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("dave")
                        .get("/crqs/" + id)
                        .then()
                        .body("links.commits", hasSize(1))
                        .body("links.commits[0].commitId", equalTo("c0ffee" + id))
                        .body("links.branches[0].branch", equalTo("feature/" + id + "-x")));
        as("dave").get("/commits/c0ffee" + id + "/crqs").then().statusCode(200).body("crqIds", equalTo(List.of(id)));
        assertThat(count("SELECT count(*) FROM crq_commit_link WHERE commit_id = 'c0ffee" + id + "'"))
                .isEqualTo(1);
    }

    @Test
    void aCommitIsLinkedOnlyToACrqOfItsRepositoryAndNotToOneClosedBeforeItWasMade() {
        String id = createCrq("dave", "Mine alone");
        Instant beforeCancel = Instant.now().minusSeconds(60);
        // Another repository's commit naming the same number is not this CRQ's work.
        sendAsGitWatcher(commit("other-repo", id, "0ther" + id, null));
        as("dave").post("/crqs/" + id + "/cancel").then().statusCode(200);
        // Found by a history scan: made while the CRQ was open, so linked.
        sendAsGitWatcher(commit("demo", id, "01d" + id, beforeCancel));
        // Made after the CRQ was cancelled: not linked, whenever it is announced.
        sendAsGitWatcher(commit("demo", id, "1ate" + id, Instant.now().plusSeconds(5)));
        String marker = createCrq("dave", "Marker");
        sendAsGitWatcher(commit("demo", marker, "ma4k" + marker, null));

        // Git events are consumed in order: once the marker's commit is linked, the three before it were handled.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as("dave").get("/crqs/" + marker).then().body("links.commits", hasSize(1)));
        as("dave")
                .get("/crqs/" + id)
                .then()
                .statusCode(200)
                .body("links.commits.commitId", equalTo(List.of("01d" + id)));
        as("dave").get("/commits/0ther" + id + "/crqs").then().statusCode(200).body("crqIds", hasSize(0));
    }

    private static CommitPushed commit(String repo, String crqId, String commitId, Instant committedAt) {
        GitPerson person = committedAt == null ? null : new GitPerson("Dave", "dave@example.org", committedAt);
        return new CommitPushed(
                repo, "feature/" + crqId + "-x", commitId, List.of(), person, person, crqId + ": work", List.of(crqId));
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        String id = createCrq("alice", "After poison");
        gitWatcher.send(Topics.GIT_EVENTS, "demo", "{this is not an event");
        gitWatcher.send(
                Topics.GIT_EVENTS,
                "demo",
                EventCodec.toJson(EventCodec.envelope(
                        "test",
                        new CommitPushed(
                                "demo", "main", "feed" + id, List.of(), null, null, "fix for " + id, List.of(id)))));

        operator.await(
                Topics.deadLetter("crq-service"), v -> v.contains("{this is not an event"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as("alice").get("/crqs/" + id).then().body("links.commits", hasSize(1)));
    }

    private static Scrape scrape() {
        // No login: Prometheus scrapes without one.
        return Scrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * PostgreSQL keeps the server's WAL, whoever wrote it, from the oldest position a slot confirmed: a quiet outbox
     * must not hold what other databases write (a forgotten slot once held 151 MB).
     */
    @Test
    void theRelaysHeartbeatMovesItsSlotOnWhileOnlyOtherDatabasesWrite() throws Exception {
        String slot = relayConfig.slotName(database.name());
        String other = "slot_probe_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection server = database.connect(database.maintenanceDb());
                Statement s = server.createStatement()) {
            s.execute("CREATE DATABASE " + other);
        }
        try {
            String written;
            try (Connection c = database.connect(other);
                    Statement s = c.createStatement()) {
                // About 30 MB of WAL, two segments and more, in a database no relay reads.
                s.execute(
                        "CREATE TABLE filler AS SELECT g, repeat('x', 200) AS text FROM generate_series(1, 100000) g");
                try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
                    rs.next();
                    written = rs.getString(1);
                }
            }
            // This service writes nothing meanwhile: only its relay's heartbeat takes the slot past those writes.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        try (Connection c = database.connect(database.maintenanceDb());
                                PreparedStatement p =
                                        c.prepareStatement("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, ?::pg_lsn)"
                                                + " FROM pg_replication_slots WHERE slot_name = ?")) {
                            p.setString(1, written);
                            p.setString(2, slot);
                            try (ResultSet rs = p.executeQuery()) {
                                assertThat(rs.next()).as("slot %s", slot).isTrue();
                                assertThat(rs.getDouble(1))
                                        .as("bytes of WAL the slot has confirmed beyond the other database's writes")
                                        .isNotNegative();
                            }
                        }
                    });
            // What the slot keeps is a gauge for the operators' alerts.
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(scrape().samples("gitcrq_outbox_slot_retained_wal_bytes"))
                            .singleElement()
                            .extracting(Scrape.Sample::value)
                            .satisfies(bytes -> assertThat(bytes).isNotNaN().isNotNegative()));
        } finally {
            try (Connection server = database.connect(database.maintenanceDb());
                    Statement s = server.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + other + " WITH (FORCE)");
            }
        }
    }

    @Test
    void metricsShowTheRelayTheDeadLettersAndTheGroupsLag() {
        Scrape before = scrape();
        String id = createCrq("alice", "Measured");
        gitWatcher.send(Topics.GIT_EVENTS, "demo", "{not an event either");
        gitWatcher.send(
                Topics.GIT_EVENTS,
                "demo",
                EventCodec.toJson(EventCodec.envelope(
                        "test",
                        new CommitPushed(
                                "demo", "main", "beef" + id, List.of(), null, null, "fix for " + id, List.of(id)))));
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("CrqCreated") && v.contains("\"" + id + "\""),
                Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> as("alice").get("/crqs/" + id).then().body("links.commits", hasSize(1)));

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Scrape after = scrape();
            // The CrqCreated (and the link's events) were relayed, each with its delay; nothing waits in the outbox.
            assertThat(after.sum("gitcrq_outbox_events_relayed_total", "topic", Topics.CRQ_EVENTS))
                    .isGreaterThan(before.sum("gitcrq_outbox_events_relayed_total", "topic", Topics.CRQ_EVENTS));
            assertThat(after.sum("gitcrq_outbox_relay_delay_seconds_count"))
                    .isGreaterThan(before.sum("gitcrq_outbox_relay_delay_seconds_count"));
            assertThat(after.sum("gitcrq_outbox_relay_running")).isEqualTo(1.0);
            assertThat(after.samples("gitcrq_outbox_backlog_events"))
                    .singleElement()
                    .extracting(Scrape.Sample::value)
                    .isEqualTo(0.0);
            // The unreadable record was dead-lettered, and counted so.
            assertThat(after.sum(
                            "gitcrq_delivery_dead_lettered_total", "channel", "git-events", "reason", "unreadable"))
                    .isGreaterThan(before.sum(
                            "gitcrq_delivery_dead_lettered_total", "channel", "git-events", "reason", "unreadable"));
            // The group has committed both records: no lag left on git-events, as the broker sees it.
            assertThat(after.samples(
                            "gitcrq_kafka_consumer_lag_records", "group", "crq-service", "topic", Topics.GIT_EVENTS))
                    .singleElement()
                    .extracting(Scrape.Sample::value)
                    .isEqualTo(0.0);
            // Kafka's own client metrics (the consumer's view, per partition; Kafka writes the topic's dots as _).
            assertThat(after.samples("kafka_consumer_fetch_manager_records_lag"))
                    .anyMatch(s -> s.labels().getOrDefault("topic", "").contains("git-events"));
        });
    }

    @Test
    void badRequestsAnswerWithProblemBodies() {
        as("alice")
                .body("{\"title\":")
                .post("/crqs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400));
        as("alice")
                .body("{\"title\":\"t\",\"repo\":\"demo\",\"colour\":\"red\"}")
                .post("/crqs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("colour"));
        as("alice")
                .body("{\"repo\":\"demo\"}")
                .post("/crqs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("title"));
        as("alice").get("/crqs/CRQ-424242").then().statusCode(404).contentType("application/problem+json");
        as("alice").get("/crqs/nonsense").then().statusCode(404);
        as("alice").get("/crqs?status=FROZEN").then().statusCode(400).contentType("application/problem+json");
        given().auth().preemptive().basic("alice", "wrong").get("/crqs").then().statusCode(401);
        as("bob")
                .body("{\"title\":\"t\",\"repo\":\"demo\"}")
                .post("/crqs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("roles"));
    }

    @Test
    void anExecRequestGoesOutOnItsTopicWithAGrantThatVerifiesWithTheServicesKey() throws IOException {
        String id = createCrq("alice", "Run the tests");
        String execId = as("alice")
                .body(Map.of(
                        "host",
                        "dev-h1",
                        "session",
                        "crq",
                        "pane",
                        "build",
                        "command",
                        "make test",
                        "audit",
                        List.of("file")))
                .post("/crqs/" + id + "/exec-requests")
                .then()
                .statusCode(202)
                .body("crqId", equalTo(id))
                .body("host", equalTo("dev-h1"))
                .body("requestedBy", equalTo("alice"))
                .body("grantExpiresAt", org.hamcrest.Matchers.notNullValue())
                .extract()
                .path("execId");

        // Read as exec-agent reads it (ACLs apply: crq-service may write the topic).
        ExecRequested request = (ExecRequested) EventCodec.dataOf(EventCodec.parse(execAgent
                .await(Topics.EXEC_REQUESTS, v -> v.contains(execId), Duration.ofSeconds(30))
                .value()));
        assertThat(request.requestedBy()).isEqualTo("alice");
        assertThat(request.command()).isEqualTo("make test");
        assertThat(request.audit()).containsExactly("file");
        assertThat(request.grant()).isNotBlank();
        PublicKey publicKey = Ed25519.parsePublicKey(
                Files.readString(new SigningKeyFile(java.nio.file.Path.of(signingKeyFile)).publicKeyFile()));
        ExecGrantVerifier.Verdict verdict = new ExecGrantVerifier(
                        List.of(publicKey), Duration.ofSeconds(30), Clock.systemUTC())
                .verify(request.grant(), request, "dev-h1");
        assertThat(verdict.verified()).as(verdict.reason()).isTrue();
        assertThat(verdict.grant().subject()).isEqualTo("alice");
        assertThat(verdict.grant().audience()).isEqualTo("dev-h1");
        assertThat(verdict.grant().roles()).contains("requester");
        assertThat(verdict.grant().issuer()).isEqualTo("crq-service");
        // The grant is for that command only.
        ExecRequested otherCommand = new ExecRequested(
                request.execId(),
                request.host(),
                request.session(),
                request.pane(),
                "rm -rf /",
                request.crqId(),
                request.branch(),
                request.cwd(),
                request.requestedBy(),
                request.audit(),
                request.auditPaths(),
                request.grant());
        assertThat(new ExecGrantVerifier(List.of(publicKey), Duration.ofSeconds(30), Clock.systemUTC())
                        .verify(request.grant(), otherCommand, "dev-h1")
                        .refusal())
                .isEqualTo(ExecGrantVerifier.Refusal.DIGEST_MISMATCH);
    }

    @Test
    void anExecRequestNeedsARoleThatMayRunCommandsAnOpenCrqAndAHostAndCommand() {
        String id = createCrq("alice", "Refusals");
        Map<String, Object> body = Map.of("host", "dev-h1", "session", "crq", "pane", "build", "command", "make");
        as("bob")
                .body(body)
                .post("/crqs/" + id + "/exec-requests")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("roles that may run commands"));
        as("alice")
                .body(body)
                .post("/crqs/CRQ-424242/exec-requests")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as("alice")
                .body(Map.of("session", "crq", "pane", "build"))
                .post("/crqs/" + id + "/exec-requests")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("command must not be blank"))
                .body("detail", containsString("host must not be blank"));
        as("alice").post("/crqs/" + id + "/cancel").then().statusCode(200);
        as("alice")
                .body(body)
                .post("/crqs/" + id + "/exec-requests")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("CANCELLED"));
    }

    @Test
    void readinessReflectsDatabaseKafkaAndRelay() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Transactional
    String statusInDb(String id) {
        return (String) em.createNativeQuery("SELECT status FROM change_request WHERE id = ?1")
                .setParameter(1, Long.parseLong(id.substring(4)))
                .getSingleResult();
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
