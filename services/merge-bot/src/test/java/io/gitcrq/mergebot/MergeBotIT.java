package io.gitcrq.mergebot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.housekeeping.Housekeeping;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.testsupport.git.HeldRefLock;
import io.gitcrq.testsupport.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * merge-bot against a real broker, a real PostgreSQL database of its own and real Git repositories: events
 * are sent as crq-service and git-watcher send them, and the outcome is read from the bare repository, the
 * merge-events topic and the database.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "mergebot"))
@QuarkusTestResource(RemoteGitTestResource.class)
class MergeBotIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EntityManager em;

    /** Sends CRQ events and reads merge events as crq-service (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);
    // Git events are git-watcher's to write.
    private final TopicProbe gitWatcher = KafkaBrokerTestResource.probe(TopicAccess.GIT_WATCHER);
    // Dead letters are read by the broker's administrator.
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    @Test
    void anApprovedCrqIsMergedWithARealMergeCommit() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.git("checkout", "--quiet", "-b", "feature/CRQ-5-login-timeout");
        git.commit("login.txt", "timeout=30\n", "CRQ-5: login times out after 30 s");
        String branchHead = git.commit("login.txt", "timeout=60\n", "make it a minute"); // names no CRQ: the branch's
        git.git("push", "--quiet", "origin", "feature/CRQ-5-login-timeout");
        Scrape before = scrape();

        approve(5, repo, Instant.now(), branchHead);

        String merged = awaitMergeEvent("BranchMerged", 5, v -> true);
        String mainAfter = git.inBare("rev-parse", "main");
        assertThat(merged)
                .contains(
                        "\"mergeCommit\":\"" + mainAfter + "\"",
                        "\"branch\":\"feature/CRQ-5-login-timeout\"",
                        "\"targetBranch\":\"main\"");
        assertThat(git.inBare("rev-parse", "main^1")).isEqualTo(mainBefore);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(branchHead);
        assertThat(git.inBare("cat-file", "-p", "main").lines().filter(l -> l.startsWith("parent ")))
                .hasSize(2);
        assertThat(git.inBare("log", "-1", "--format=%B", "main"))
                .isEqualTo("Merge branch 'feature/CRQ-5-login-timeout' into main\n\nCRQ: CRQ-5\nApproved-by: bob");
        assertThat(git.inBare("log", "-1", "--format=%cn <%ce>", "main"))
                .isEqualTo("gitcrq merge-bot <merge-bot@gitcrq.local>");
        // The merged tree is the branch's work on top of main.
        assertThat(git.inBare("show", "main:login.txt")).isEqualTo("timeout=60");

        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 5 AND outcome = 'MERGED' "
                        + "AND merge_commit = '" + mainAfter + "' AND branch = 'feature/CRQ-5-login-timeout'"))
                .isEqualTo(1);
        as("alice")
                .get("/merges?crq=CRQ-5")
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].crqId", equalTo("CRQ-5"))
                .body("[0].outcome", equalTo("MERGED"))
                .body("[0].mergeCommit", equalTo(mainAfter))
                .body("[0].targetBranch", equalTo("main"))
                .body("[0].repo", equalTo(repo));
        // The merge was timed from its approval.
        assertThat(scrape().sum("gitcrq_merge_approval_to_merge_seconds_count"))
                .isGreaterThan(before.sum("gitcrq_merge_approval_to_merge_seconds_count"));
    }

    private static Scrape scrape() {
        // No login: Prometheus scrapes without one.
        return Scrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void anApprovalDeliveredAgainOrRepeatedNeverMergesTwice() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.git("checkout", "--quiet", "-b", "bugfix/CRQ-6-null-check");
        git.commit("check.txt", "checked\n", "CRQ-6: check for null");
        git.git("push", "--quiet", "origin", "bugfix/CRQ-6-null-check");

        String approval = approve(6, repo);
        awaitMergeEvent("BranchMerged", 6, v -> true);
        String mergeCommit = git.inBare("rev-parse", "main");

        topics.send(Topics.CRQ_EVENTS, "CRQ-6", approval); // Kafka redelivers the same event
        CloudEvent again = EventCodec.envelope(
                "gitcrq/crq-service", new CrqApproved("CRQ-6", "admin", "alice", repo, "main", Instant.now()));
        topics.send(Topics.CRQ_EVENTS, "CRQ-6", EventCodec.toJson(again)); // a new approval event, new id
        // Same key, same partition, in order: once the new one is processed, so is the redelivery before it.
        await().atMost(WAIT)
                .until(() -> count("SELECT count(*) FROM processed_event WHERE event_id = '" + again.id() + "'") == 1);

        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mergeCommit);
        assertThat(git.inBare("rev-list", "--merges", "--count", "main")).isEqualTo("1");
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 6")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type LIKE '%BranchMerged%' "
                        + "AND message_key = 'CRQ-6'"))
                .isEqualTo(1);
        List<ConsumerRecord<String, String>> announced = topics.awaitAll(
                Topics.MERGE_EVENTS, v -> v.contains("BranchMerged") && v.contains("\"crqId\":\"CRQ-6\""), 1, WAIT);
        assertThat(announced.stream().map(r -> EventCodec.parse(r.value()).id()).distinct())
                .hasSize(1);
    }

    @Test
    void aBranchCarryingAnotherCrqsCommitIsBlockedAndMainStaysPut() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.git("checkout", "--quiet", "-b", "feature/CRQ-7-search");
        git.commit("search.txt", "box\n", "CRQ-7: search box");
        String foreign = git.commit("other.txt", "other\n", "CRQ-9: other work");
        git.git("push", "--quiet", "origin", "feature/CRQ-7-search");

        approve(7, repo);

        String blocked = awaitMergeEvent("MergeBlocked", 7, v -> true);
        String shortId = foreign.substring(0, 7);
        assertThat(blocked).contains("commit " + shortId + " 'CRQ-9: other work' is linked to CRQ-9, not CRQ-7");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        as("bob")
                .get("/merges?crq=crq-7")
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].outcome", equalTo("BLOCKED"))
                .body("[0].branch", equalTo("feature/CRQ-7-search"))
                .body("[0].reason", containsString("CRQ-9"))
                .body("[0].mergeCommit", equalTo(null));
    }

    @Test
    void aCrqCancelledInTheViewIsNotMerged() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.git("checkout", "--quiet", "-b", "chore/CRQ-8-cleanup");
        git.commit("clean.txt", "clean\n", "CRQ-8: clean up");
        git.git("push", "--quiet", "origin", "chore/CRQ-8-cleanup");

        CrqId id = new CrqId(8);
        sendAsCrqService(new CrqCreated(id.toString(), "Clean up", "why", "alice", repo, "main", Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id.toString(), "SUBMITTED", "APPROVED", "bob", null, Instant.now()));
        sendAsCrqService(
                new CrqStatusChanged(id.toString(), "APPROVED", "CANCELLED", "alice", "not needed", Instant.now()));
        sendAsCrqService(new CrqApproved(id.toString(), "bob", "alice", repo, "main", Instant.now()));

        String blocked = awaitMergeEvent("MergeBlocked", 8, v -> true);
        assertThat(blocked).contains("CRQ-8 is CANCELLED, not APPROVED");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 8 AND outcome = 'MERGED'"))
                .isZero();
    }

    @Test
    void aConflictingBranchIsBlockedNamingTheFile() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.git("checkout", "--quiet", "-b", "feature/CRQ-10-readme");
        git.commit("README.md", "hello from the branch\n", "CRQ-10: reword the readme");
        git.git("push", "--quiet", "origin", "feature/CRQ-10-readme");
        git.git("checkout", "--quiet", "main");
        git.commit("README.md", "hello from main\n", "reword the readme on main");
        git.git("push", "--quiet", "origin", "main");
        String mainBefore = git.inBare("rev-parse", "main");

        approve(10, repo);

        String blocked = awaitMergeEvent("MergeBlocked", 10, v -> true);
        assertThat(blocked).contains("feature/CRQ-10-readme conflicts with main in README.md");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
    }

    @Test
    void aBranchAlreadyMergedIsRecordedAsMergedWithoutANewCommit() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.git("checkout", "--quiet", "-b", "docs/CRQ-12-guide");
        git.commit("guide.txt", "guide\n", "CRQ-12: write a guide");
        git.git("push", "--quiet", "origin", "docs/CRQ-12-guide");
        // As if merge-bot had moved main and then crashed before recording it.
        git.git("checkout", "--quiet", "main");
        git.git("merge", "--quiet", "--no-ff", "-m", "Merge branch 'docs/CRQ-12-guide' into main", "docs/CRQ-12-guide");
        git.git("push", "--quiet", "origin", "main");
        String mainBefore = git.inBare("rev-parse", "main");

        approve(12, repo);

        String merged = awaitMergeEvent("BranchMerged", 12, v -> true);
        assertThat(merged).contains("\"mergeCommit\":\"" + mainBefore + "\"");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 12 AND outcome = 'MERGED'"))
                .isEqualTo(1);
    }

    @Test
    void anApprovalForAnUnwatchedRepoIsBlocked() {
        approve(13, "nowhere-" + UUID.randomUUID());
        assertThat(awaitMergeEvent("MergeBlocked", 13, v -> true)).contains("is not watched");
    }

    @Test
    void anApprovalForARepositoryNoLongerWatchedIsBlocked() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        RepoUnwatched unwatched = new RepoUnwatched(repo, "admin", Instant.now());
        gitWatcher.send(
                Topics.GIT_EVENTS,
                unwatched.partitionKey(),
                EventCodec.toJson(EventCodec.envelope("gitcrq/git-watcher", unwatched)));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM watched_repo WHERE repo = '" + repo + "'") == 0);

        approve(16, repo);

        assertThat(awaitMergeEvent("MergeBlocked", 16, v -> true)).contains("is not watched");
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        topics.send(Topics.CRQ_EVENTS, "CRQ-14", "{this is not a CRQ event");
        gitWatcher.send(Topics.GIT_EVENTS, "broken", "{this is not a Git event");
        GitRepos git = GitRepos.create();
        String repo = watch(git); // the next Git event is processed
        approve(14, repo); // so are the next CRQ events: no branch, and merge-bot says how to make one

        operator.await(Topics.deadLetter("merge-bot"), v -> v.contains("{this is not a CRQ event"), WAIT);
        operator.await(Topics.deadLetter("merge-bot"), v -> v.contains("{this is not a Git event"), WAIT);
        assertThat(awaitMergeEvent("MergeBlocked", 14, v -> true))
                .contains("no branch for CRQ-14 in repo " + repo + "; create one with: gitcrq branch start CRQ-14");
    }

    @Test
    void anApprovalMetByADatabaseFailureIsTriedAgainUntilMergedAndNeverDeadLettered() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.git("checkout", "--quiet", "-b", "feature/CRQ-15-retry");
        String head = git.commit("retry.txt", "again\n", "CRQ-15: try again");
        git.git("push", "--quiet", "origin", "feature/CRQ-15-retry");
        String id = new CrqId(15).toString();
        sendAsCrqService(new CrqCreated(id, "Change " + id, "why", "alice", repo, "main", Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "DRAFT", "SUBMITTED", "alice", null, Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "SUBMITTED", "APPROVED", "bob", "looks good", Instant.now()));
        await().atMost(WAIT)
                .until(() -> count("SELECT count(*) FROM tracked_crq WHERE crq_id = 15 AND status = 'APPROVED'") == 1);

        // Every handler's first write is its inbox row: while that table is gone, each try fails in the database.
        execute("ALTER TABLE processed_event RENAME TO processed_event_away");
        String approval;
        try {
            approval = sendAsCrqService(new CrqApproved(id, "bob", "alice", repo, "main", Instant.now(), head));
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(503)
                            .body("checks.find { it.name == 'event-delivery' }.status", equalTo("DOWN")));
        } finally {
            execute("ALTER TABLE processed_event_away RENAME TO processed_event");
        }

        awaitMergeEvent("BranchMerged", 15, v -> true);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(head);
        given().get("/q/health/ready").then().statusCode(200);
        // A record that cannot be read, sent after: once it is on the dead-letter topic, the approval would be too.
        String marker = "{not an event " + UUID.randomUUID();
        topics.send(Topics.CRQ_EVENTS, id, marker);
        String approvalId = EventCodec.parse(approval).id();
        assertThat(operator
                        .awaitAll(
                                Topics.deadLetter("merge-bot"),
                                v -> v.contains(marker) || v.contains(approvalId),
                                1,
                                WAIT)
                        .stream()
                        .map(ConsumerRecord::value))
                .containsExactly(marker);
    }

    @Inject
    Housekeeping housekeeping;

    @Test
    void housekeepingPrunesOldOutboxRowsAndConsumedIdsAndKeepsRecentOnes() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        // Rows the relay sends on as they are inserted: a real event, which merge-bot's readers take in their stride.
        String payload = EventCodec.toJson(EventCodec.envelope(
                        "gitcrq/merge-bot", new MergeWaiting("CRQ-0", "none", "housekeeping test", Instant.now())))
                .replace("'", "''");
        for (String[] row : new String[][] {{old, "8 days"}, {recent, "6 days"}}) {
            execute("INSERT INTO outbox_event (id, topic, message_key, event_type, payload, created_at) VALUES ('"
                    + row[0] + "', '" + Topics.MERGE_EVENTS + "', 'CRQ-0', '" + EventType.MERGE_WAITING.ceType()
                    + "', '" + payload + "', now() - interval '" + row[1] + "')");
        }
        execute("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ('merge-bot', '" + old
                + "', now() - interval '31 days'), ('merge-bot', '" + recent + "', now() - interval '29 days')");

        Housekeeping.Pruned pruned = housekeeping.prune();

        assertThat(pruned.outboxRows()).isGreaterThanOrEqualTo(1);
        assertThat(pruned.inboxRows()).isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE id = '" + old + "'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM processed_event WHERE event_id = '" + old + "'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM processed_event WHERE event_id = '" + recent + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE id = '" + recent + "'"))
                .isEqualTo(1);
    }

    @Test
    void aBranchTypeTheRepositorysGitConfigAllowsIsFoundAndMerged() throws Exception {
        // With the defaults, spike/… is no CRQ's branch: merge-bot finds none, and says which rule it applied.
        GitRepos plain = GitRepos.create();
        String plainRepo = watch(plain);
        plain.branchFromMain("spike/CRQ-17-try");
        plain.commit("try.txt", "try\n", "CRQ-17: try it");
        plain.git("push", "--quiet", "origin", "spike/CRQ-17-try");
        approve(17, plainRepo);
        assertThat(awaitMergeEvent("MergeBlocked", 17, v -> true))
                .contains(
                        "no branch for CRQ-17 in repo " + plainRepo + "; create one with: gitcrq branch start CRQ-17 "
                                + "--type feature",
                        "(service-wide)");

        // A repository whose git config allows spike: read at the merge, no restart.
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.inBare("config", "gitcrq.branchTypes", "feature,spike");
        git.inBare("config", "gitcrq.exemptBranches", "main,keep");
        String mainBefore = git.inBare("rev-parse", "main");
        git.branchFromMain("spike/CRQ-16-try");
        String branchHead = git.commit("try.txt", "try\n", "CRQ-16: try it");
        git.git("push", "--quiet", "origin", "spike/CRQ-16-try");
        git.branchFromMain("keep");
        git.git("push", "--quiet", "origin", "keep");
        git.branchFromMain("develop");
        git.git("push", "--quiet", "origin", "develop");

        approve(16, repo);

        assertThat(awaitMergeEvent("BranchMerged", 16, v -> true)).contains("\"branch\":\"spike/CRQ-16-try\"");
        assertThat(git.inBare("rev-parse", "main^1")).isEqualTo(mainBefore);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(branchHead);
        // Stale branches by the same rule: keep is exempt there, develop is not; the spike branch names its CRQ.
        as("alice")
                .get("/repos/" + repo + "/stale-branches?days=30")
                .then()
                .statusCode(200)
                .body("branch", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("keep")))
                .body("find { it.branch == 'develop' }.reasons[0]", containsString("names no CRQ"))
                .body("find { it.branch == 'develop' }.reasons[0]", containsString("types: feature, spike"));
        as("alice")
                .get("/repos/" + repo + "/stale-branches?days=0")
                .then()
                .statusCode(200)
                .body("find { it.branch == 'spike/CRQ-16-try' }.crqId", equalTo("CRQ-16"));
    }

    @Test
    void badRequestsAnswerWithProblemBodies() {
        as("alice")
                .get("/merges?crq=nonsense")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("nonsense"));
        as("alice").get("/merges").then().statusCode(400).contentType("application/problem+json");
        as("admin").get("/merges?crq=CRQ-424242").then().statusCode(200).body("", hasSize(0));
        // Control characters: refused at the edge, never a 500 from the database.
        as("alice")
                .urlEncodingEnabled(false)
                .get("/merges?crq=CRQ-1%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("control character"));
        as("admin")
                .urlEncodingEnabled(false)
                .get("/repos/demo%00/merge-settings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as("admin")
                .contentType("application/json")
                .body("{\"strategy\":\"merge\\u0000\",\"requiredChecks\":[\"build\\u0000\"]}")
                .put("/repos/demo/merge-settings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("NUL character"));
        given().auth()
                .preemptive()
                .basic("alice", "wrong")
                .get("/merges?crq=CRQ-1")
                .then()
                .statusCode(401);
    }

    // --- the merge queue ---------------------------------------------------------------------------------

    @Test
    void crqsApprovedTogetherAreMergedInApprovalOrderEachOnTopOfThePrevious() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String initial = git.inBare("rev-parse", "main");
        Map<Long, String> heads = new HashMap<>();
        for (long n : List.of(20L, 21L, 22L)) {
            git.branchFromMain("feature/CRQ-" + n + "-part");
            heads.put(n, git.commit("part" + n + ".txt", "part " + n + "\n", "CRQ-" + n + ": part " + n));
            git.git("push", "--quiet", "origin", "feature/CRQ-" + n + "-part");
        }
        // Held by a required check nobody reports, so all three are queued before any is ready.
        putSettings(repo, "{\"requiredChecks\":[\"hold\"]}").then().statusCode(200);
        Instant t0 = Instant.now();
        approve(22, repo, t0.plusSeconds(1)); // approval order: CRQ-21, CRQ-22, CRQ-20
        approve(20, repo, t0.plusSeconds(2));
        approve(21, repo, t0);
        for (long n : List.of(20L, 21L, 22L)) {
            assertThat(awaitMergeEvent("MergeWaiting", n, v -> true))
                    .contains("waiting for checks: hold (not reported) on "
                            + heads.get(n).substring(0, 7) + " of feature/CRQ-" + n + "-part");
        }
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(initial);

        // Releasing the hold makes all three ready at once: merged one at a time, in approval order.
        putSettings(repo, "{\"requiredChecks\":[]}").then().statusCode(200).body("requiredChecks", hasSize(0));

        for (long n : List.of(20L, 21L, 22L)) {
            awaitMergeEvent("BranchMerged", n, v -> true);
        }
        assertThat(git.inBare("log", "--first-parent", "--format=%s", "main"))
                .isEqualTo(String.join(
                        "\n",
                        "Merge branch 'feature/CRQ-20-part' into main",
                        "Merge branch 'feature/CRQ-22-part' into main",
                        "Merge branch 'feature/CRQ-21-part' into main",
                        "initial commit"));
        // Each merge is on top of the previous one, and merges its branch's head.
        assertThat(git.inBare("rev-parse", "main~3")).isEqualTo(initial);
        assertThat(git.inBare("rev-parse", "main~2^2")).isEqualTo(heads.get(21L));
        assertThat(git.inBare("rev-parse", "main~1^2")).isEqualTo(heads.get(22L));
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(heads.get(20L));
        assertThat(git.inBare("ls-tree", "--name-only", "main")).contains("part20.txt", "part21.txt", "part22.txt");
        assertThat(count("SELECT count(*) FROM merge_queue_entry WHERE repo = '" + repo + "'"))
                .isZero();
    }

    @Test
    void aRequiredCheckThatFailsBlocksTheMergeNamingTheCheck() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.branchFromMain("feature/CRQ-23-checked");
        String head = git.commit("checked.txt", "checked\n", "CRQ-23: checked work");
        git.git("push", "--quiet", "origin", "feature/CRQ-23-checked");
        putSettings(repo, "{\"requiredChecks\":[\"build\",\"lint\"]}").then().statusCode(200);
        reportCheck(repo, head, "lint", "SUCCESS", null);
        reportCheck(repo, head, "build", "FAILURE", "https://ci.example/runs/23");
        Scrape before = scrape();

        approve(23, repo);

        String blocked = awaitMergeEvent("MergeBlocked", 23, v -> v.contains("failed"));
        assertThat(blocked)
                .contains("required check build (https://ci.example/runs/23) failed on " + head.substring(0, 7)
                        + " of feature/CRQ-23-checked");
        assertThat(blocked).doesNotContain("lint");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 23 AND outcome = 'MERGED'"))
                .isZero();
        as("alice")
                .get("/checks?repo=" + repo + "&commit=" + head)
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("[0].name", equalTo("build"))
                .body("[0].status", equalTo("FAILURE"))
                .body("[0].reportedBy", equalTo("ci"));
        // The blocked CRQ stays queued: the queue-length gauge says as many as the table holds.
        assertThat(scrape().sum("gitcrq_merge_blocked_total")).isGreaterThan(before.sum("gitcrq_merge_blocked_total"));
        await().atMost(WAIT).untilAsserted(() -> {
            long blockedRows = count("SELECT count(*) FROM merge_queue_entry WHERE state = 'BLOCKED'");
            assertThat(blockedRows).isPositive();
            assertThat(scrape().sum("gitcrq_merge_queue_crqs", "state", "blocked"))
                    .isEqualTo((double) blockedRows);
        });
    }

    @Test
    void aCrqWaitsForAPendingCheckWithoutHoldingUpTheOnesBehindItAndMergesOnSuccess() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.branchFromMain("feature/CRQ-24-slow");
        String slow = git.commit("slow.txt", "slow\n", "CRQ-24: slow to check");
        git.git("push", "--quiet", "origin", "feature/CRQ-24-slow");
        git.branchFromMain("feature/CRQ-25-quick");
        String quick = git.commit("quick.txt", "quick\n", "CRQ-25: quick to check");
        git.git("push", "--quiet", "origin", "feature/CRQ-25-quick");
        putSettings(repo, "{\"requiredChecks\":[\"build\",\"lint\"]}").then().statusCode(200);
        reportCheck(repo, slow, "build", "SUCCESS", null);
        reportCheck(repo, slow, "lint", "PENDING", null);
        reportCheck(repo, quick, "build", "SUCCESS", null);
        reportCheck(repo, quick, "lint", "SUCCESS", null);
        Instant t0 = Instant.now();

        approve(24, repo, t0);
        approve(25, repo, t0.plusSeconds(1));

        // CRQ-24 was approved first but waits; CRQ-25, ready, is merged without waiting for it (readiness order).
        awaitMergeEvent(
                "MergeWaiting",
                24,
                v -> v.contains(
                        "waiting for checks: lint (pending) on " + slow.substring(0, 7) + " of feature/CRQ-24-slow"));
        awaitMergeEvent("BranchMerged", 25, v -> true);
        assertThat(count("SELECT count(*) FROM merge_queue_entry WHERE crq_id = 24 AND state = 'WAITING' "
                        + "AND reason LIKE 'waiting for checks: lint (pending)%'"))
                .isEqualTo(1);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(quick);

        reportCheck(repo, slow, "lint", "SUCCESS", "https://ci.example/runs/24");

        awaitMergeEvent("BranchMerged", 24, v -> true);
        assertThat(git.inBare("log", "--first-parent", "--format=%s", "-2", "main"))
                .isEqualTo(
                        "Merge branch 'feature/CRQ-24-slow' into main\nMerge branch 'feature/CRQ-25-quick' into main");
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(slow);
    }

    @Test
    void anApprovalOfACommitThatIsNoLongerTheBranchHeadIsNotMergedAndSaysWhy() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.branchFromMain("feature/CRQ-50-moved");
        String approved = git.commit("moved.txt", "reviewed\n", "CRQ-50: reviewed work");
        String later = git.commit("moved.txt", "not reviewed\n", "CRQ-50: pushed after the review");
        git.git("push", "--quiet", "origin", "feature/CRQ-50-moved");

        approve(50, repo, Instant.now(), approved);

        String reason = "branch feature/CRQ-50-moved moved after the approval: its head is " + later.substring(0, 7)
                + ", but bob approved " + approved.substring(0, 7) + "; merge-bot merges only the approved commit, so"
                + " CRQ-50 needs a new approval of " + later.substring(0, 7) + " (or the branch back at "
                + approved.substring(0, 7) + ")";
        String blocked = awaitMergeEvent("MergeBlocked", 50, v -> v.contains("moved after the approval"));
        assertThat(EventCodec.dataOf(EventCodec.parse(blocked)))
                .isInstanceOfSatisfying(
                        MergeBlocked.class, b -> assertThat(b.reason()).isEqualTo(reason));
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        as("alice")
                .get("/merges?crq=CRQ-50")
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].outcome", equalTo("BLOCKED"))
                .body("[0].branch", equalTo("feature/CRQ-50-moved"))
                .body("[0].reason", equalTo(reason));
    }

    @Test
    void aCommitPushedAfterTheApprovalIsMergedOnlyOnceApprovedAgainAndCheckedItself() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        putSettings(repo, "{\"requiredChecks\":[\"build\"]}").then().statusCode(200);
        git.branchFromMain("feature/CRQ-51-again");
        String first = git.commit("again.txt", "first\n", "CRQ-51: first take");
        git.git("push", "--quiet", "origin", "feature/CRQ-51-again");

        approve(51, repo, Instant.now(), first);
        awaitMergeEvent(
                "MergeWaiting",
                51,
                v -> v.contains("waiting for checks: build (not reported) on " + first.substring(0, 7)));

        // While it waits for its check, a commit is pushed; then the check passes on the approved commit.
        String second = git.commit("again.txt", "second\n", "CRQ-51: second take");
        git.git("push", "--quiet", "origin", "feature/CRQ-51-again");
        reportCheck(repo, first, "build", "SUCCESS", null);
        awaitMergeEvent(
                "MergeBlocked",
                51,
                v -> v.contains(
                        "its head is " + second.substring(0, 7) + ", but bob approved " + first.substring(0, 7)));
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);

        // Approved again, for the new head: the check that passed on the old head does not count for it.
        approveAgain(51, repo, first, second);
        awaitMergeEvent(
                "MergeWaiting",
                51,
                v -> v.contains("waiting for checks: build (not reported) on " + second.substring(0, 7)));
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(count("SELECT count(*) FROM merge_queue_entry WHERE crq_id = 51 AND state = 'WAITING' "
                        + "AND approved_commit = '" + second + "'"))
                .isEqualTo(1);

        reportCheck(repo, second, "build", "SUCCESS", null);
        String merged = awaitMergeEvent("BranchMerged", 51, v -> true);
        assertThat(git.inBare("rev-parse", "main^1")).isEqualTo(mainBefore);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(second);
        assertThat(merged).contains("\"mergeCommit\":\"" + git.inBare("rev-parse", "main") + "\"");
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 51 AND outcome = 'MERGED'"))
                .isEqualTo(1);
    }

    @Test
    void eachCrqIsVerifiedAgainstTheHeadThePreviousMergeLeftAndAConflictNamesTheFile() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        git.branchFromMain("feature/CRQ-26-readme");
        git.commit("README.md", "hello from CRQ-26\n", "CRQ-26: reword the readme");
        git.git("push", "--quiet", "origin", "feature/CRQ-26-readme");
        git.branchFromMain("feature/CRQ-27-readme");
        git.commit("README.md", "hello from CRQ-27\n", "CRQ-27: reword the readme too");
        git.git("push", "--quiet", "origin", "feature/CRQ-27-readme");
        Instant t0 = Instant.now();

        approve(26, repo, t0);
        awaitMergeEvent("BranchMerged", 26, v -> true);
        String afterFirst = git.inBare("rev-parse", "main");
        approve(27, repo, t0.plusSeconds(1));

        // Each branch merges cleanly into the main both started from; the second conflicts with the first's merge.
        assertThat(awaitMergeEvent("MergeBlocked", 27, v -> true))
                .contains("feature/CRQ-27-readme conflicts with main in README.md");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(afterFirst);
        assertThat(count("SELECT count(*) FROM merge_queue_entry WHERE crq_id = 27 AND state = 'BLOCKED'"))
                .isEqualTo(1);
    }

    @Test
    void eachStrategyProducesTheHistoryItPromises() throws Exception {
        // ff-only: main becomes the branch head itself; a branch main has moved past is refused.
        GitRepos ff = GitRepos.create();
        String ffRepo = watch(ff);
        putSettings(ffRepo, "{\"strategy\":\"ff-only\"}").then().statusCode(200).body("strategy", equalTo("ff-only"));
        ff.branchFromMain("feature/CRQ-30-ff");
        String ffHead = ff.commit("ff.txt", "ff\n", "CRQ-30: fast-forward me");
        ff.git("push", "--quiet", "origin", "feature/CRQ-30-ff");
        ff.branchFromMain("feature/CRQ-31-late");
        ff.commit("late.txt", "late\n", "CRQ-31: started before CRQ-30 landed");
        ff.git("push", "--quiet", "origin", "feature/CRQ-31-late");
        approve(30, ffRepo);
        assertThat(awaitMergeEvent("BranchMerged", 30, v -> true)).contains("\"mergeCommit\":\"" + ffHead + "\"");
        assertThat(ff.inBare("rev-parse", "main")).isEqualTo(ffHead);
        approve(31, ffRepo);
        assertThat(awaitMergeEvent("MergeBlocked", 31, v -> true))
                .contains("feature/CRQ-31-late is not a fast-forward of main");
        assertThat(ff.inBare("rev-parse", "main")).isEqualTo(ffHead);

        // squash: one new commit with one parent, the branch's combined change, naming the CRQ; branch deleted.
        GitRepos squash = GitRepos.create();
        String squashRepo = watch(squash);
        putSettings(squashRepo, "{\"strategy\":\"squash\",\"deleteMergedBranch\":true}")
                .then()
                .statusCode(200)
                .body("deleteMergedBranch", equalTo(true));
        squash.branchFromMain("feature/CRQ-32-squash");
        squash.commit("a.txt", "a\n", "CRQ-32: first part");
        squash.commit("b.txt", "b\n", "second part");
        squash.git("push", "--quiet", "origin", "feature/CRQ-32-squash");
        String squashMain = squash.commitOnMain("main.txt", "main moved\n", "unrelated work on main");
        approve(32, squashRepo);
        awaitMergeEvent("BranchMerged", 32, v -> true);
        assertThat(squash.inBare("rev-parse", "main^")).isEqualTo(squashMain);
        assertThat(squash.inBare("cat-file", "-p", "main").lines().filter(l -> l.startsWith("parent ")))
                .hasSize(1);
        assertThat(squash.inBare("log", "-1", "--format=%B", "main"))
                .startsWith("CRQ-32: squash-merge branch 'feature/CRQ-32-squash' into main")
                .contains("CRQ: CRQ-32");
        assertThat(squash.inBare("diff", "--name-only", "main^", "main")).isEqualTo("a.txt\nb.txt");
        assertThat(squash.inBare("branch", "--list", "feature/CRQ-32-squash")).isEmpty();

        // rebase: the branch's commits replayed on main's head: new ids, same messages and author, linear.
        GitRepos rebase = GitRepos.create();
        String rebaseRepo = watch(rebase);
        putSettings(rebaseRepo, "{\"strategy\":\"rebase\"}").then().statusCode(200);
        rebase.branchFromMain("feature/CRQ-33-rebase");
        String first = rebase.commit("c.txt", "c\n", "CRQ-33: first step");
        String second = rebase.commit("d.txt", "d\n", "second step");
        rebase.git("push", "--quiet", "origin", "feature/CRQ-33-rebase");
        String rebaseMain = rebase.commitOnMain("main.txt", "main moved\n", "unrelated work on main");
        approve(33, rebaseRepo);
        awaitMergeEvent("BranchMerged", 33, v -> true);
        assertThat(rebase.inBare("rev-parse", "main~2")).isEqualTo(rebaseMain);
        assertThat(rebase.inBare("log", "--format=%s", "-2", "main")).isEqualTo("second step\nCRQ-33: first step");
        assertThat(rebase.inBare("rev-list", "--merges", "--count", "main")).isEqualTo("0");
        assertThat(rebase.inBare("rev-parse", "main", "main^"))
                .doesNotContain(first)
                .doesNotContain(second);
        assertThat(rebase.inBare("log", "-1", "--format=%an|%cn", "main")).isEqualTo("Alice|gitcrq merge-bot");
        assertThat(rebase.inBare("branch", "--list", "feature/CRQ-33-rebase")).isNotEmpty(); // kept by default
    }

    @Test
    void aMoveMadeJustBeforeACrashIsRecordedNotMadeAgain() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        putSettings(repo, "{\"strategy\":\"squash\"}").then().statusCode(200);
        git.branchFromMain("feature/CRQ-34-crash");
        git.commit("crash.txt", "survived\n", "CRQ-34: survive a crash");
        git.git("push", "--quiet", "origin", "feature/CRQ-34-crash");
        // As if merge-bot had squashed the branch, recorded its intent, moved main and died before recording
        // the merge: a squash leaves no merge commit to recognise, and squashing again would find nothing to do.
        String moved = git.commitOnMain(
                "crash.txt", "survived\n", "CRQ-34: squash-merge branch 'feature/CRQ-34-crash' into main");
        execute("INSERT INTO merge_intent (crq_id, repo, target_branch, branch, new_head, at) VALUES (34, '" + repo
                + "', 'main', 'feature/CRQ-34-crash', '" + moved + "', now())");

        approve(34, repo);

        assertThat(awaitMergeEvent("BranchMerged", 34, v -> true)).contains("\"mergeCommit\":\"" + moved + "\"");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(moved);
        assertThat(count("SELECT count(*) FROM merge_intent WHERE crq_id = 34")).isZero();
    }

    @Test
    void aTargetLockedByALiveUpdateIsWaitedForAndOneLeftByADeadProcessIsRemoved() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        Path lock = git.bare.resolve("refs/heads/main.lock");

        // A live update holds main's lock for a moment: the merge waits for it instead of giving up.
        git.branchFromMain("feature/CRQ-52-busy");
        String busyHead = git.commit("busy.txt", "busy\n", "CRQ-52: merge past a busy lock");
        git.git("push", "--quiet", "origin", "feature/CRQ-52-busy");
        String merged;
        try (HeldRefLock held =
                HeldRefLock.hold(lock, "0000000000000000000000000000000000000000\n", Duration.ofSeconds(3))) {
            approve(52, repo, Instant.now(), busyHead);
            merged = awaitMergeEvent("BranchMerged", 52, v -> true);
        }
        assertThat(merged).contains("\"mergeCommit\":\"" + git.inBare("rev-parse", "main") + "\"");
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(busyHead);

        // A lock left by a process killed while updating main (older than stale-ref-lock-after, 30 s): removed, the
        // merge goes through, and git can update main again.
        git.branchFromMain("feature/CRQ-53-stale");
        git.git("pull", "--quiet", "origin", "main");
        String staleHead = git.commit("stale.txt", "stale\n", "CRQ-53: merge past a stale lock");
        git.git("push", "--quiet", "origin", "feature/CRQ-53-stale");
        Files.writeString(lock, "0000000000000000000000000000000000000000\n");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(31)));
        approve(53, repo, Instant.now(), staleHead);
        assertThat(awaitMergeEvent("BranchMerged", 53, v -> true))
                .contains("\"mergeCommit\":\"" + git.inBare("rev-parse", "main") + "\"");
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(staleHead);
        assertThat(lock).doesNotExist();
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id IN (52, 53) AND outcome = 'MERGED'"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id IN (52, 53) AND outcome = 'BLOCKED'"))
                .isZero();
    }

    @Test
    void mergeSettingsAndCheckReportsAreRoleCheckedAndValidated() {
        String repo = "settings-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice")
                .get("/repos/" + repo + "/merge-settings")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("merge"))
                .body("requiredChecks", hasSize(0))
                .body("deleteMergedBranch", equalTo(false));
        as("alice")
                .contentType("application/json")
                .body("{\"strategy\":\"squash\"}")
                .put("/repos/" + repo + "/merge-settings")
                .then()
                .statusCode(403);
        putSettings(repo, "{\"strategy\":\"octopus\"}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("merge, ff-only, squash, rebase"));
        putSettings(repo, "{\"requiredChecks\":[\"build\",\"build\"]}")
                .then()
                .statusCode(400)
                .body("detail", containsString("twice"));
        putSettings(repo, "{\"requiredChecks\":[\"no spaces\"]}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        putSettings(repo, "{\"strategy\":\"squash\",\"requiredChecks\":[\"build\"]}")
                .then()
                .statusCode(200)
                .body("updatedBy", equalTo("bob"));
        as("ci").get("/repos/" + repo + "/merge-settings")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("squash"))
                .body("requiredChecks[0]", equalTo("build"));

        // The change is announced for the audit trail: who changed which rule from what to what; refused and
        // repeated settings are no change.
        MergeSettingsChanged changed = settingsChanged(topics.await(
                        Topics.MERGE_EVENTS,
                        v -> v.contains("io.gitcrq.MergeSettingsChanged.v1") && v.contains("\"" + repo + "\""),
                        WAIT)
                .value());
        assertThat(changed.changedBy()).isEqualTo("bob");
        assertThat(changed.before()).isEqualTo(new MergeSettingsChanged.MergeRules("merge", List.of(), false));
        assertThat(changed.after()).isEqualTo(new MergeSettingsChanged.MergeRules("squash", List.of("build"), false));
        putSettings(repo, "{\"strategy\":\"squash\",\"requiredChecks\":[\"build\"]}")
                .then()
                .statusCode(200);
        putSettings(repo, "{\"strategy\":\"merge\"}").then().statusCode(200);
        List<MergeSettingsChanged> all = topics
                .awaitAll(
                        Topics.MERGE_EVENTS,
                        v -> v.contains("io.gitcrq.MergeSettingsChanged.v1") && v.contains("\"" + repo + "\""),
                        2,
                        WAIT)
                .stream()
                .map(r -> settingsChanged(r.value()))
                .toList();
        assertThat(all)
                .extracting(MergeSettingsChanged::after)
                .containsExactly(
                        new MergeSettingsChanged.MergeRules("squash", List.of("build"), false),
                        new MergeSettingsChanged.MergeRules("merge", List.of(), false));

        String commit = "0123456789abcdef0123456789abcdef01234567";
        checkBody("alice", repo, commit, "build", "SUCCESS", null)
                .post("/checks")
                .then()
                .statusCode(403);
        checkBody("ci", repo, "abc123", "build", "SUCCESS", null)
                .post("/checks")
                .then()
                .statusCode(400)
                .body("detail", containsString("full commit id"));
        checkBody("ci", repo, commit, "build", "GREEN", null)
                .post("/checks")
                .then()
                .statusCode(400)
                .body("detail", containsString("PENDING, SUCCESS or FAILURE"));
        checkBody("ci", repo, commit, "build", "SUCCESS", "https://bot:s3cret-token@ci.example/1")
                .post("/checks")
                .then()
                .statusCode(400)
                .body("detail", containsString("credentials"))
                .body("detail", org.hamcrest.Matchers.not(containsString("s3cret-token")));
        checkBody("admin", repo, commit.toUpperCase(Locale.ROOT), "build", "SUCCESS", "https://ci.example/1")
                .post("/checks")
                .then()
                .statusCode(202)
                .body("commitId", equalTo(commit))
                .body("reportedBy", equalTo("admin"));
        topics.await(Topics.MERGE_EVENTS, v -> v.contains("io.gitcrq.CheckReported.v1") && v.contains(commit), WAIT);
        as("bob").get("/checks?repo=" + repo).then().statusCode(400).contentType("application/problem+json");
        as("bob").get("/repos/" + repo + "/stale-branches?days=-1").then().statusCode(400);
        as("bob")
                .get("/repos/" + repo + "/stale-branches")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRemoteRepositoryIsMergedThroughItsMirrorAndPushedWithCredentialsThatAppearNowhere() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(RemoteGitTestResource.REPO_WITH_TOKEN, RemoteGitTestResource.url(git.bare));
        putSettings(repo, "{\"deleteMergedBranch\":true}").then().statusCode(200);
        String mainBefore = git.inBare("rev-parse", "main");
        git.branchFromMain("feature/CRQ-40-over-http");
        String branchHead = git.commit("remote.txt", "over http\n", "CRQ-40: merged over smart HTTP");
        git.git("push", "--quiet", "origin", "feature/CRQ-40-over-http");

        approve(40, repo);

        String merged = awaitMergeEvent("BranchMerged", 40, v -> true);
        String mainAfter = git.inBare("rev-parse", "main");
        assertThat(merged).contains("\"mergeCommit\":\"" + mainAfter + "\"");
        assertThat(git.inBare("rev-parse", "main^1")).isEqualTo(mainBefore);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(branchHead);
        assertThat(git.inBare("log", "-1", "--format=%B", "main")).contains("CRQ: CRQ-40");
        // Deleted on the Git host, not only in merge-bot's mirror.
        assertThat(git.inBare("branch", "--list", "feature/CRQ-40-over-http")).isEmpty();

        // The same host refuses a wrong token: blocked, saying why, without the token; nothing pushed.
        GitRepos refused = GitRepos.create();
        String refusedRepo =
                watch(RemoteGitTestResource.REPO_WITH_WRONG_TOKEN, RemoteGitTestResource.url(refused.bare));
        String refusedMain = refused.inBare("rev-parse", "main");
        refused.branchFromMain("feature/CRQ-41-wrong-token");
        refused.commit("x.txt", "x\n", "CRQ-41: never lands");
        refused.git("push", "--quiet", "origin", "feature/CRQ-41-wrong-token");

        approve(41, refusedRepo);

        String blocked = awaitMergeEvent("MergeBlocked", 41, v -> true);
        assertThat(blocked)
                .contains("cannot be reached")
                .contains("not authorized")
                .doesNotContain(RemoteGitTestResource.WRONG_TOKEN);
        assertThat(refused.inBare("rev-parse", "main")).isEqualTo(refusedMain);

        for (String secret : List.of(RemoteGitTestResource.TOKEN, RemoteGitTestResource.WRONG_TOKEN)) {
            assertThat(count("SELECT count(*) FROM outbox_event WHERE payload LIKE '%" + secret + "%'"))
                    .isZero();
            assertThat(count("SELECT count(*) FROM merge_attempt WHERE reason LIKE '%" + secret + "%'"))
                    .isZero();
            try (var files = java.nio.file.Files.walk(RemoteGitTestResource.mirrors())) {
                assertThat(files.filter(java.nio.file.Files::isRegularFile)
                                .filter(f -> !f.toString().contains("/objects/"))
                                .filter(f -> readQuietly(f).contains(secret))
                                .toList())
                        .isEmpty();
            }
        }
    }

    private static String readQuietly(java.nio.file.Path file) {
        try {
            return new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void staleBranchesAreThoseWithoutAnOpenCrqOrWithOnlyOldCommits() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        sendAsCrqService(new CrqCreated("CRQ-35", "Open work", "why", "alice", repo, "main", Instant.now()));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM tracked_crq WHERE crq_id = 35") == 1);
        git.branchFromMain("feature/CRQ-35-open");
        git.commit("open.txt", "open\n", "CRQ-35: open work");
        git.git("push", "--quiet", "origin", "feature/CRQ-35-open");
        git.branchFromMain("feature/CRQ-36-unknown");
        git.git("push", "--quiet", "origin", "feature/CRQ-36-unknown");
        git.branchFromMain("experiment");
        git.git("push", "--quiet", "origin", "experiment");

        as("alice")
                .get("/repos/" + repo + "/stale-branches?days=30")
                .then()
                .statusCode(200)
                .body("branch", org.hamcrest.Matchers.containsInAnyOrder("feature/CRQ-36-unknown", "experiment"))
                .body(
                        "find { it.branch == 'feature/CRQ-36-unknown' }.reasons[0]",
                        equalTo("CRQ-36 is unknown to merge-bot"))
                .body("find { it.branch == 'experiment' }.reasons[0]", containsString("names no CRQ"));
        // With days=0 every commit is old: the open CRQ's branch is listed too, for its age only; main never is.
        as("alice")
                .get("/repos/" + repo + "/stale-branches?days=0")
                .then()
                .statusCode(200)
                .body(
                        "branch",
                        org.hamcrest.Matchers.containsInAnyOrder(
                                "feature/CRQ-35-open", "feature/CRQ-36-unknown", "experiment"))
                .body("find { it.branch == 'feature/CRQ-35-open' }.crqStatus", equalTo("DRAFT"))
                .body("find { it.branch == 'feature/CRQ-35-open' }.reasons[0]", containsString("older than 0 days"));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Announces the bare repository as git-watcher does, and waits until merge-bot knows where it lives. */
    private String watch(GitRepos git) {
        return watch("demo-" + UUID.randomUUID().toString().substring(0, 8), git.bare.toString());
    }

    private String watch(String repo, String location) {
        RepoWatched watched = new RepoWatched(repo, location, "main");
        gitWatcher.send(
                Topics.GIT_EVENTS,
                watched.partitionKey(),
                EventCodec.toJson(EventCodec.envelope("gitcrq/git-watcher", watched)));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM watched_repo WHERE repo = '" + repo + "'") == 1);
        return repo;
    }

    /** A CRQ's life up to approval, as crq-service announces it; returns the CrqApproved record. */
    private String approve(long number, String repo) {
        return approve(number, repo, Instant.now());
    }

    private String approve(long number, String repo, Instant approvedAt) {
        return approve(number, repo, approvedAt, null);
    }

    /** As crq-service approves {@code headCommit}; without it, as it approved before approvals named a commit. */
    private String approve(long number, String repo, Instant approvedAt, String headCommit) {
        String id = new CrqId(number).toString();
        sendAsCrqService(new CrqCreated(id, "Change " + id, "why", "alice", repo, "main", Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "DRAFT", "SUBMITTED", "alice", null, Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "SUBMITTED", "APPROVED", "bob", "looks good", Instant.now()));
        return sendAsCrqService(new CrqApproved(id, "bob", "alice", repo, "main", approvedAt, headCommit));
    }

    /** As crq-service withdraws an approval when a commit is pushed after it, and approves {@code headCommit}. */
    private void approveAgain(long number, String repo, String withdrawnFor, String headCommit) {
        String id = new CrqId(number).toString();
        sendAsCrqService(new CrqStatusChanged(
                id,
                "APPROVED",
                "SUBMITTED",
                "git-watcher",
                "new commit " + headCommit + " pushed after bob approved " + withdrawnFor,
                Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "SUBMITTED", "APPROVED", "bob", "reviewed again", Instant.now()));
        sendAsCrqService(new CrqApproved(id, "bob", "alice", repo, "main", Instant.now(), headCommit));
    }

    private static io.restassured.response.Response putSettings(String repo, String json) {
        return as("bob").contentType("application/json").body(json).put("/repos/" + repo + "/merge-settings");
    }

    private static RequestSpecification checkBody(
            String user, String repo, String commit, String name, String status, String url) {
        Map<String, String> body =
                new HashMap<>(Map.of("repo", repo, "commitId", commit, "name", name, "status", status));
        if (url != null) {
            body.put("url", url);
        }
        return as(user).contentType("application/json").body(body);
    }

    /** Reports a check as CI does (POST /checks as the ci user). */
    private static void reportCheck(String repo, String commit, String name, String status, String url) {
        checkBody("ci", repo, commit, name, status, url).post("/checks").then().statusCode(202);
    }

    private String sendAsCrqService(DomainEvent event) {
        String record = EventCodec.toJson(EventCodec.envelope("gitcrq/crq-service", event));
        topics.send(EventType.of(event).topic(), event.partitionKey(), record);
        return record;
    }

    private static MergeSettingsChanged settingsChanged(String record) {
        return (MergeSettingsChanged) EventCodec.dataOf(EventCodec.parse(record));
    }

    private String awaitMergeEvent(String type, long crq, Predicate<String> also) {
        return topics.await(
                        Topics.MERGE_EVENTS,
                        v -> v.contains("io.gitcrq." + type + ".v1")
                                && v.contains("\"crqId\":\"CRQ-" + crq + "\"")
                                && also.test(v),
                        WAIT)
                .value();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    @Transactional
    void execute(String sql) {
        em.createNativeQuery(sql).executeUpdate();
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
