package io.gitcrq.mergebot;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * merge-bot against a real broker, a real PostgreSQL database of its own and real Git repositories: events
 * are sent as crq-service and git-watcher send them, and the outcome is read from the bare repository, the
 * merge-events topic and the database.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "mergebot"))
class MergeBotTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EntityManager em;

    private final TopicProbe topics = new TopicProbe(KafkaBrokerTestResource.broker().bootstrapServers());

    @Test
    void anApprovedCrqIsMergedWithARealMergeCommit() throws Exception {
        GitRepos git = GitRepos.create();
        String repo = watch(git);
        String mainBefore = git.inBare("rev-parse", "main");
        git.git("checkout", "--quiet", "-b", "feature/CRQ-5-login-timeout");
        git.commit("login.txt", "timeout=30\n", "CRQ-5: login times out after 30 s");
        String branchHead = git.commit("login.txt", "timeout=60\n", "make it a minute"); // names no CRQ: the branch's
        git.git("push", "--quiet", "origin", "feature/CRQ-5-login-timeout");

        approve(5, repo);

        String merged = awaitMergeEvent("BranchMerged", 5, v -> true);
        String mainAfter = git.inBare("rev-parse", "main");
        assertThat(merged).contains("\"mergeCommit\":\"" + mainAfter + "\"", "\"branch\":\"feature/CRQ-5-login-timeout\"",
                "\"targetBranch\":\"main\"");
        assertThat(git.inBare("rev-parse", "main^1")).isEqualTo(mainBefore);
        assertThat(git.inBare("rev-parse", "main^2")).isEqualTo(branchHead);
        assertThat(git.inBare("cat-file", "-p", "main").lines().filter(l -> l.startsWith("parent "))).hasSize(2);
        assertThat(git.inBare("log", "-1", "--format=%B", "main")).isEqualTo(
                "Merge branch 'feature/CRQ-5-login-timeout' into main\n\nCRQ: CRQ-5\nApproved-by: bob");
        assertThat(git.inBare("log", "-1", "--format=%cn <%ce>", "main")).isEqualTo("gitcrq merge-bot <merge-bot@gitcrq.local>");
        // The merged tree is the branch's work on top of main.
        assertThat(git.inBare("show", "main:login.txt")).isEqualTo("timeout=60");

        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 5 AND outcome = 'MERGED' "
                + "AND merge_commit = '" + mainAfter + "' AND branch = 'feature/CRQ-5-login-timeout'")).isEqualTo(1);
        as("alice").get("/merges?crq=CRQ-5").then().statusCode(200).body("", hasSize(1))
                .body("[0].crqId", equalTo("CRQ-5")).body("[0].outcome", equalTo("MERGED"))
                .body("[0].mergeCommit", equalTo(mainAfter)).body("[0].targetBranch", equalTo("main"))
                .body("[0].repo", equalTo(repo));
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
        CloudEvent again = EventCodec.envelope("gitcrq/crq-service",
                new CrqApproved("CRQ-6", "admin", "alice", repo, "main", Instant.now()));
        topics.send(Topics.CRQ_EVENTS, "CRQ-6", EventCodec.toJson(again)); // a new approval event, new id
        // Same key, same partition, in order: once the new one is processed, so is the redelivery before it.
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM processed_event WHERE event_id = '"
                + again.id() + "'") == 1);

        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mergeCommit);
        assertThat(git.inBare("rev-list", "--merges", "--count", "main")).isEqualTo("1");
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 6")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type LIKE '%BranchMerged%' "
                + "AND message_key = 'CRQ-6'")).isEqualTo(1);
        List<ConsumerRecord<String, String>> announced = topics.awaitAll(Topics.MERGE_EVENTS,
                v -> v.contains("BranchMerged") && v.contains("\"crqId\":\"CRQ-6\""), 1, WAIT);
        assertThat(announced.stream().map(r -> EventCodec.parse(r.value()).id()).distinct()).hasSize(1);
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
        as("bob").get("/merges?crq=crq-7").then().statusCode(200).body("", hasSize(1))
                .body("[0].outcome", equalTo("BLOCKED")).body("[0].branch", equalTo("feature/CRQ-7-search"))
                .body("[0].reason", containsString("CRQ-9")).body("[0].mergeCommit", equalTo(null));
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
        sendAsCrqService(new CrqStatusChanged(id.toString(), "APPROVED", "CANCELLED", "alice", "not needed", Instant.now()));
        sendAsCrqService(new CrqApproved(id.toString(), "bob", "alice", repo, "main", Instant.now()));

        String blocked = awaitMergeEvent("MergeBlocked", 8, v -> true);
        assertThat(blocked).contains("CRQ-8 is CANCELLED, not APPROVED");
        assertThat(git.inBare("rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 8 AND outcome = 'MERGED'")).isZero();
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
        assertThat(count("SELECT count(*) FROM merge_attempt WHERE crq_id = 12 AND outcome = 'MERGED'")).isEqualTo(1);
    }

    @Test
    void anApprovalForAnUnwatchedRepoIsBlocked() {
        approve(13, "nowhere-" + UUID.randomUUID());
        assertThat(awaitMergeEvent("MergeBlocked", 13, v -> true)).contains("is not watched");
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        topics.send(Topics.CRQ_EVENTS, "CRQ-14", "{this is not a CRQ event");
        topics.send(Topics.GIT_EVENTS, "broken", "{this is not a Git event");
        GitRepos git = GitRepos.create();
        String repo = watch(git); // the next Git event is processed
        approve(14, repo);        // so are the next CRQ events: no branch, and merge-bot says how to make one

        topics.await(Topics.deadLetter("merge-bot"), v -> v.contains("{this is not a CRQ event"), WAIT);
        topics.await(Topics.deadLetter("merge-bot"), v -> v.contains("{this is not a Git event"), WAIT);
        assertThat(awaitMergeEvent("MergeBlocked", 14, v -> true))
                .contains("no branch for CRQ-14 in repo " + repo + "; create one with: gitcrq branch start CRQ-14");
    }

    @Test
    void badRequestsAnswerWithProblemBodies() {
        as("alice").get("/merges?crq=nonsense").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("nonsense"));
        as("alice").get("/merges").then().statusCode(400).contentType("application/problem+json");
        as("admin").get("/merges?crq=CRQ-424242").then().statusCode(200).body("", hasSize(0));
        given().auth().preemptive().basic("alice", "wrong").get("/merges?crq=CRQ-1").then().statusCode(401);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Announces the bare repository as git-watcher does, and waits until merge-bot knows where it lives. */
    private String watch(GitRepos git) {
        String repo = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        RepoWatched watched = new RepoWatched(repo, git.bare.toString(), "main");
        topics.send(Topics.GIT_EVENTS, watched.partitionKey(),
                EventCodec.toJson(EventCodec.envelope("gitcrq/git-watcher", watched)));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM watched_repo WHERE repo = '" + repo + "'") == 1);
        return repo;
    }

    /** A CRQ's life up to approval, as crq-service announces it; returns the CrqApproved record. */
    private String approve(long number, String repo) {
        String id = new CrqId(number).toString();
        sendAsCrqService(new CrqCreated(id, "Change " + id, "why", "alice", repo, "main", Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "DRAFT", "SUBMITTED", "alice", null, Instant.now()));
        sendAsCrqService(new CrqStatusChanged(id, "SUBMITTED", "APPROVED", "bob", "looks good", Instant.now()));
        return sendAsCrqService(new CrqApproved(id, "bob", "alice", repo, "main", Instant.now()));
    }

    private String sendAsCrqService(DomainEvent event) {
        String record = EventCodec.toJson(EventCodec.envelope("gitcrq/crq-service", event));
        topics.send(EventType.of(event).topic(), event.partitionKey(), record);
        return record;
    }

    private String awaitMergeEvent(String type, long crq, Predicate<String> also) {
        return topics.await(Topics.MERGE_EVENTS, v -> v.contains("io.gitcrq." + type + ".v1")
                && v.contains("\"crqId\":\"CRQ-" + crq + "\"") && also.test(v), WAIT).value();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
