package io.gitcrq.gitwatcher;

import static io.gitcrq.gitwatcher.TestSupport.as;
import static io.gitcrq.gitwatcher.TestSupport.assertWrittenAs;
import static io.gitcrq.gitwatcher.TestSupport.count;
import static io.gitcrq.gitwatcher.TestSupport.data;
import static io.gitcrq.gitwatcher.TestSupport.event;
import static io.gitcrq.gitwatcher.TestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ViolationView;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.testsupport.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** git-watcher against real git repositories, a real broker and a real PostgreSQL database of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "gitwatcher"))
@QuarkusTestResource(WatchedReposTestResource.class)
class GitWatcherIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EntityManager em;

    @ConfigProperty(name = "gitcrq.git-watcher.mirror-dir")
    Path mirrorDir;

    /** Reads Git events as crq-service, one of their readers (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);

    @Test
    void registeringAnnouncesTheRepositoryAndRefusesBadInput() {
        TestRepo repo = testRepo("reg");
        String initial = repo.headInBare("main");
        register("reg", repo.bare.toString())
                .then()
                .statusCode(201)
                .body("name", equalTo("reg"))
                .body("location", equalTo(repo.bare.toString()))
                .body("remote", equalTo(false))
                .body("defaultBranch", equalTo("main"))
                .body("webhookEnabled", equalTo(false))
                .body("webhookName", org.hamcrest.Matchers.nullValue());
        ConsumerRecord<String, String> watched = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.REPO_WATCHED,
                        "reg",
                        d -> d.path("location").asText().equals(repo.bare.toString())
                                && d.path("defaultBranch").asText().equals("main")),
                WAIT);
        assertThat(watched.key()).isEqualTo("reg");
        // The branches already there are announced; their history is not.
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "reg",
                        d -> d.path("branch").asText().equals("main")
                                && d.path("head").asText().equals(initial)),
                WAIT);
        as("alice").post("/repos/reg/poll").then().statusCode(200).body("newCommits", empty());
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = '" + EventType.COMMIT_PUSHED.ceType()
                        + "' AND payload LIKE '%" + initial + "%'"))
                .isZero();

        // Idempotent: same name and location (spelled differently) again.
        register("reg", repo.bare.resolve("..").resolve("reg.git").toString())
                .then()
                .statusCode(200)
                .body("location", equalTo(repo.bare.toString()));
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = '" + EventType.REPO_WATCHED.ceType()
                        + "' AND message_key = 'reg'"))
                .isEqualTo(1);
        register("reg", repo.work.toString())
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already watched"));
        register("reg2", repo.work.getParent().toString())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not a Git repository"));
        register("reg2", repo.work.resolve("missing").toString())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        register("reg2", "/")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("filesystem root"));
        // The service's own checkout (a Git repository: this one), by its own path or a relative one.
        for (String own : List.of(".", Path.of("").toAbsolutePath().toString(), "..")) {
            register("reg2", own)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("git-watcher's own working directory"));
        }
        assertThat(count("SELECT count(*) FROM watched_repo WHERE name = 'reg2'"))
                .isZero();
        register("bad name!", repo.bare.toString())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("name"));
        as("alice")
                .body(Map.of("name", "reg3", "location", repo.bare.toString(), "colour", "red"))
                .post("/repos")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("colour"));
        as("alice").get("/repos/nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/repos").then().statusCode(401);

        assertWrittenAs(
                as("bob").get("/repos/reg").then().statusCode(200).extract().asString(),
                new TypeReference<RepoView>() {});

        // Registered from configuration at startup.
        as("bob").get("/repos").then().statusCode(200).body("name", hasItems("configured", "reg"));
        as("bob").get("/repos/configured").then().statusCode(200).body("location", containsString("configured.git"));
        topics.await(Topics.GIT_EVENTS, event(EventType.REPO_WATCHED, "configured", d -> true), WAIT);
    }

    @Test
    void itsOwnerOrAnAdminStopsWatchingARepositoryAndEveryoneIsTold() {
        TestRepo repo = testRepo("gone");
        register("gone", repo.bare.toString()).then().statusCode(201);

        as("bob").delete("/repos/gone").then().statusCode(403).contentType("application/problem+json");
        as("alice").delete("/repos/nope").then().statusCode(404).contentType("application/problem+json");
        as("alice").delete("/repos/gone").then().statusCode(204);

        as("alice").get("/repos/gone").then().statusCode(404);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.REPO_UNWATCHED,
                        "gone",
                        d -> d.path("unwatchedBy").asText().equals("alice")),
                WAIT);
        assertThat(count("SELECT count(*) FROM branch_position WHERE repo = 'gone'"))
                .isZero();
        // Watched again: a registration like the first, its history taken as seen.
        register("gone", repo.bare.toString()).then().statusCode(201);
        as("admin").delete("/repos/gone").then().statusCode(204);
    }

    @Test
    void pushedBranchesAndCommitsBecomeEvents() {
        Scrape before = scrape();
        TestRepo repo = testRepo("push");
        register("push", repo.bare.toString()).then().statusCode(201);
        String initial = repo.headInBare("main");
        repo.git("checkout", "-b", "feature/CRQ-7-login");
        String linked = repo.commit("CRQ-7: fix login");
        String unnamed = repo.commit("tidy up");
        repo.push("feature/CRQ-7-login");

        // No explicit poll: the scheduled one finds the push.
        ConsumerRecord<String, String> created = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "push",
                        d -> d.path("branch").asText().equals("feature/CRQ-7-login")
                                && d.path("crqIds").toString().equals("[\"CRQ-7\"]")
                                && d.path("nameValid").asBoolean()),
                WAIT);
        assertThat(created.key()).isEqualTo("push");
        ConsumerRecord<String, String> first = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "push",
                        d -> d.path("commitId").asText().equals(linked)),
                WAIT);
        ConsumerRecord<String, String> second = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "push",
                        d -> d.path("commitId").asText().equals(unnamed)),
                WAIT);
        JsonNode firstData = data(first);
        assertThat(first.key()).isEqualTo("push");
        assertThat(firstData.path("branch").asText()).isEqualTo("feature/CRQ-7-login");
        assertThat(firstData.path("crqIds").toString()).isEqualTo("[\"CRQ-7\"]");
        assertThat(firstData.path("message").asText()).startsWith("CRQ-7: fix login");
        assertThat(firstData.path("parents").toString()).isEqualTo("[\"" + initial + "\"]");
        assertThat(firstData.path("author").path("email").asText()).isEqualTo("dev@example.test");
        // A commit naming no CRQ belongs to its branch's.
        assertThat(data(second).path("crqIds").toString()).isEqualTo("[\"CRQ-7\"]");
        assertThat(first.offset()).isLessThan(second.offset()); // oldest first
        assertThat(count("SELECT count(*) FROM policy_violation WHERE repo = 'push'"))
                .isZero();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(positions("push"))
                        .containsEntry("main", initial)
                        .containsEntry("feature/CRQ-7-login", unnamed)
                        .hasSize(2));
        // The metrics: the three events relayed, each timed, and nothing left in the outbox.
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape after = scrape();
            assertThat(after.sum("gitcrq_outbox_events_relayed_total", "topic", Topics.GIT_EVENTS))
                    .isGreaterThanOrEqualTo(
                            before.sum("gitcrq_outbox_events_relayed_total", "topic", Topics.GIT_EVENTS) + 3);
            assertThat(after.sum("gitcrq_outbox_relay_delay_seconds_count"))
                    .isGreaterThanOrEqualTo(before.sum("gitcrq_outbox_relay_delay_seconds_count") + 3);
            assertThat(after.samples("gitcrq_outbox_backlog_events"))
                    .singleElement()
                    .extracting(Scrape.Sample::value)
                    .isEqualTo(0.0);
        });
    }

    private static Scrape scrape() {
        // No login: Prometheus scrapes without one.
        return Scrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void badBranchNamesAndUnlinkedCommitsAreViolations() {
        TestRepo repo = testRepo("viol");
        register("viol", repo.bare.toString()).then().statusCode(201);
        repo.git("checkout", "-b", "wip/foo");
        String hack = repo.commit("quick hack");
        repo.push("wip/foo");

        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "viol",
                        d -> d.path("branch").asText().equals("wip/foo")
                                && !d.path("nameValid").asBoolean()
                                && d.path("crqIds").isEmpty()),
                WAIT);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.POLICY_VIOLATION,
                        "viol",
                        d -> d.path("rule").asText().equals("branch-name")
                                && d.path("ref").asText().equals("wip/foo")
                                && d.path("detail").asText().contains("does not follow")),
                WAIT);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.POLICY_VIOLATION,
                        "viol",
                        d -> d.path("rule").asText().equals("unlinked-commit")
                                && d.path("commitId").asText().equals(hack)),
                WAIT);

        as("alice")
                .get("/violations?repo=viol")
                .then()
                .statusCode(200)
                .body("rule", contains("unlinked-commit", "branch-name"))
                .body("ref", contains("wip/foo", "wip/foo"))
                .body("[0].commitId", equalTo(hack))
                .body("[1].detail", containsString("<type>/CRQ-<n>-<slug>"))
                .body("[0].detectedAt", org.hamcrest.Matchers.notNullValue());
        assertWrittenAs(
                as("alice")
                        .get("/violations?repo=viol")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                new TypeReference<List<ViolationView>>() {});
        as("alice").get("/violations").then().statusCode(200).body("repo", hasItems("viol"));
        as("alice").get("/violations?repo=nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void branchesAreCreatedThroughTheApiWhenTheirNameFollowsThePolicy() {
        TestRepo repo = testRepo("api");
        register("api", repo.bare.toString()).then().statusCode(201);
        String main = repo.headInBare("main");

        createBranch("api", "wip/foo", "main")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("does not follow"));
        createBranch("api", "feature/CRQ-12-login-timeout", "nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        createBranch("nope", "feature/CRQ-12-login-timeout", "main").then().statusCode(404);
        createBranch("api", "feature/CRQ-12-login-timeout", "main")
                .then()
                .statusCode(201)
                .body("repo", equalTo("api"))
                .body("branch", equalTo("feature/CRQ-12-login-timeout"))
                .body("head", equalTo(main));
        assertThat(repo.headInBare("feature/CRQ-12-login-timeout")).isEqualTo(main);
        // Announced by the poll the creation ran, not left to the next scheduled one.
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = '" + EventType.BRANCH_CREATED.ceType()
                        + "' AND payload LIKE '%feature/CRQ-12-login-timeout%'"))
                .isEqualTo(1);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "api",
                        d -> d.path("branch").asText().equals("feature/CRQ-12-login-timeout")
                                && d.path("crqIds").toString().equals("[\"CRQ-12\"]")),
                WAIT);

        createBranch("api", "feature/CRQ-12-login-timeout", "main")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        as("alice")
                .body(Map.of("name", "feature/CRQ-13-x", "colour", "red"))
                .post("/repos/api/branches")
                .then()
                .statusCode(400)
                .body("detail", containsString("colour"));
    }

    @Test
    void deletedBranchesAreAnnounced() {
        TestRepo repo = testRepo("del");
        register("del", repo.bare.toString()).then().statusCode(201);
        repo.git("checkout", "-b", "feature/CRQ-3-gone");
        String head = repo.commit("CRQ-3: short-lived");
        repo.push("feature/CRQ-3-gone");
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "del",
                        d -> d.path("branch").asText().equals("feature/CRQ-3-gone")),
                WAIT);

        repo.git("push", "origin", "--delete", "feature/CRQ-3-gone");
        ConsumerRecord<String, String> deleted = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_DELETED,
                        "del",
                        d -> d.path("branch").asText().equals("feature/CRQ-3-gone")
                                && d.path("lastHead").asText().equals(head)),
                WAIT);
        assertThat(deleted.key()).isEqualTo("del");
        await().atMost(WAIT).untilAsserted(() -> assertThat(positions("del")).containsOnlyKeys("main"));
    }

    @Test
    void eachChangeIsAnnouncedOnceHoweverOftenAndConcurrentlyItIsPolled() {
        TestRepo repo = testRepo("once");
        register("once", repo.bare.toString()).then().statusCode(201);
        String commit = repo.commit("CRQ-9: one commit");
        repo.push("main");

        // Two polls at once (and perhaps the scheduled one too): the commit is announced by exactly one.
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(
                () -> as("alice").post("/repos/once/poll").statusCode());
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(
                () -> as("bob").post("/repos/once/poll").statusCode());
        assertThat(List.of(a.join(), b.join())).containsExactly(200, 200);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = '" + EventType.COMMIT_PUSHED.ceType()
                        + "' AND payload LIKE '%" + commit + "%'"))
                .isEqualTo(1);
        assertThat(topics.awaitAll(
                        Topics.GIT_EVENTS,
                        event(
                                EventType.COMMIT_PUSHED,
                                "once",
                                d -> d.path("commitId").asText().equals(commit)
                                        && d.path("crqIds").toString().equals("[\"CRQ-9\"]")),
                        1,
                        WAIT))
                .hasSize(1);
        assertThat(count("SELECT count(*) FROM emitted_commit WHERE repo = 'once' AND commit_id = '" + commit + "'"))
                .isEqualTo(1);

        // Nothing changed: polling again announces nothing.
        long published = count("SELECT count(*) FROM outbox_event WHERE message_key = 'once'");
        for (int i = 0; i < 2; i++) {
            as("alice")
                    .post("/repos/once/poll")
                    .then()
                    .statusCode(200)
                    .body("repo", equalTo("once"))
                    .body("newBranches", empty())
                    .body("deletedBranches", empty())
                    .body("newCommits", empty())
                    .body("violations", empty());
        }
        assertThat(count("SELECT count(*) FROM outbox_event WHERE message_key = 'once'"))
                .isEqualTo(published);
        assertThat(positions("once")).isEqualTo(Map.of("main", repo.headInBare("main")));
        as("alice").post("/repos/nope/poll").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void remoteRepositoriesAreWatchedThroughAMirror() {
        TestRepo repo = testRepo("remote");
        String url = repo.bare.toUri().toString(); // file:///…/remote.git/
        register("remote", url)
                .then()
                .statusCode(201)
                .body("remote", equalTo(true))
                .body("location", equalTo(url));
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.REPO_WATCHED,
                        "remote",
                        d -> d.path("location").asText().equals(url)),
                WAIT);
        assertThat(Files.isDirectory(mirrorDir.resolve("remote.git"))).isTrue();

        // The remote's own config is out of reach (the mirror's is git-watcher's): the service-wide policy applies.
        TestRepo.git(repo.bare, "config", "gitcrq.branchTypes", "spike");
        as("alice")
                .get("/repos/remote/policy")
                .then()
                .statusCode(200)
                .body("source", equalTo("service"))
                .body("branchTypes", hasItems("feature", "bugfix"))
                .body("exemptBranches", contains("develop", "main", "master", "trunk"));

        repo.git("checkout", "-b", "feature/CRQ-21-remote");
        String commit = repo.commit("over the wire");
        repo.push("feature/CRQ-21-remote");
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "remote",
                        d -> d.path("commitId").asText().equals(commit)
                                && d.path("crqIds").toString().equals("[\"CRQ-21\"]")),
                WAIT);

        createBranch("remote", "feature/CRQ-22-local", "main")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("needs a local repository"));
        register("gone", "file:///nonexistent/gone.git")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("cannot"));
        assertThat(Files.exists(mirrorDir.resolve("gone.git"))).isFalse();
    }

    @Test
    void eachRepositorysGitConfigSetsItsPolicyReadAtEveryPoll() {
        TestRepo repo = testRepo("cfg");
        register("cfg", repo.bare.toString()).then().statusCode(201);
        as("alice")
                .get("/repos/cfg/policy")
                .then()
                .statusCode(200)
                .body("source", equalTo("service"))
                .body("branchTypes", hasItems("bugfix", "feature"))
                .body("exemptBranches", contains("develop", "main", "master", "trunk"))
                .body("requireLinkedCommits", equalTo(true))
                .body("error", nullValue());

        // Set while watched: applies from the next poll on, no restart; unset keys keep the service-wide values.
        TestRepo.git(repo.bare, "config", "gitcrq.branchTypes", "feature, spike");
        TestRepo.git(repo.bare, "config", "gitcrq.requireLinkedCommits", "false");
        as("alice")
                .get("/repos/cfg/policy")
                .then()
                .statusCode(200)
                .body("repo", equalTo("cfg"))
                .body("source", equalTo("repository"))
                .body("branchTypes", contains("feature", "spike"))
                .body("exemptBranches", contains("develop", "main", "master", "trunk"))
                .body("requireLinkedCommits", equalTo(false))
                .body("error", nullValue())
                .body("rule", containsString("<type> one of feature, spike"));

        repo.git("checkout", "-b", "spike/CRQ-3-try");
        String spike = repo.commit("try something");
        repo.push("spike/CRQ-3-try");
        repo.git("checkout", "main");
        repo.git("checkout", "-b", "bugfix/CRQ-4-x");
        repo.commit("CRQ-4: fix x");
        repo.push("bugfix/CRQ-4-x");
        repo.git("checkout", "main");
        repo.git("checkout", "-b", "wip/quick");
        String unlinked = repo.commit("quick hack");
        repo.push("wip/quick");

        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "cfg",
                        d -> d.path("branch").asText().equals("spike/CRQ-3-try")
                                && d.path("nameValid").asBoolean()
                                && d.path("crqIds").toString().equals("[\"CRQ-3\"]")),
                WAIT);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "cfg",
                        d -> d.path("commitId").asText().equals(spike)
                                && d.path("crqIds").toString().equals("[\"CRQ-3\"]")),
                WAIT);
        ConsumerRecord<String, String> badType = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.POLICY_VIOLATION,
                        "cfg",
                        d -> d.path("rule").asText().equals("branch-name")
                                && d.path("ref").asText().equals("bugfix/CRQ-4-x")),
                WAIT);
        assertThat(data(badType).path("detail").asText())
                .contains(
                        "branch type 'bugfix' is not allowed",
                        "rule of cfg: <type>/CRQ-<n>-<slug> with <type> one of " + "feature, spike",
                        "set in the repository's git config");
        // Not required here: an unlinked commit is announced without CRQ, and is no violation.
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "cfg",
                        d -> d.path("commitId").asText().equals(unlinked)
                                && d.path("crqIds").isEmpty()),
                WAIT);
        // The change of the rules is itself announced for the audit trail, once, with what applied before.
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.REPO_POLICY_CHANGED,
                        "cfg",
                        d -> d.path("before").isNull()
                                && d.path("after").path("source").asText().equals("service")),
                WAIT);
        ConsumerRecord<String, String> changed = topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.REPO_POLICY_CHANGED,
                        "cfg",
                        d -> d.path("after").path("source").asText().equals("repository")
                                && !d.path("after").path("requireLinkedCommits").asBoolean()),
                WAIT);
        assertThat(data(changed).path("before").isObject()).isTrue();
        assertThat(data(changed).path("after").path("branchTypes").toString()).isEqualTo("[\"feature\",\"spike\"]");
        String policyChanges = "SELECT count(*) FROM outbox_event WHERE event_type = '"
                + EventType.REPO_POLICY_CHANGED.ceType() + "' AND message_key = 'cfg'";
        long announced = count(policyChanges);
        as("alice").post("/repos/cfg/poll").then().statusCode(200);
        assertThat(count(policyChanges))
                .as("a poll reading the same policy announces nothing")
                .isEqualTo(announced);
        assertThat(count("SELECT count(*) FROM policy_violation WHERE repo = 'cfg' AND ref = 'spike/CRQ-3-try'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM policy_violation WHERE repo = 'cfg' AND rule = 'unlinked-commit'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM policy_violation WHERE repo = 'cfg' AND rule = 'branch-name' "
                        + "AND ref = 'wip/quick'"))
                .isEqualTo(1);

        // Branches made through the API follow the same rule.
        createBranch("cfg", "bugfix/CRQ-5-x", "main")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("branch type 'bugfix' is not allowed"))
                .body("detail", containsString("rule of cfg: <type>/CRQ-<n>-<slug> with <type> one of feature, spike"));
        assertThat(TestRepo.git(repo.bare, "branch", "--list", "bugfix/CRQ-5-x"))
                .isEmpty();
        createBranch("cfg", "spike/CRQ-5-x", "main").then().statusCode(201).body("branch", equalTo("spike/CRQ-5-x"));
    }

    @Test
    void aBrokenPolicyValueFallsBackToTheServiceWidePolicyAndPollingGoesOn() {
        TestRepo repo = testRepo("brokencfg");
        TestRepo.git(repo.bare, "config", "gitcrq.branchTypes", "spike");
        TestRepo.git(repo.bare, "config", "gitcrq.requireLinkedCommits", "maybe");
        register("brokencfg", repo.bare.toString()).then().statusCode(201);
        as("alice")
                .get("/repos/brokencfg/policy")
                .then()
                .statusCode(200)
                .body("source", equalTo("service"))
                .body("branchTypes", hasItems("bugfix", "feature"))
                .body("requireLinkedCommits", equalTo(true))
                .body("error", containsString("gitcrq.requireLinkedCommits is not a boolean: 'maybe'"))
                .body("error", containsString("the service-wide policy applies"));

        // Polled with the service-wide policy: feature is a type, an unlinked commit is a violation.
        repo.git("checkout", "-b", "feature/CRQ-8-ok");
        repo.commit("CRQ-8: fine");
        repo.push("feature/CRQ-8-ok");
        repo.git("checkout", "main");
        String unlinked = repo.commit("unlinked on main");
        repo.push("main");
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "brokencfg",
                        d -> d.path("branch").asText().equals("feature/CRQ-8-ok")
                                && d.path("nameValid").asBoolean()),
                WAIT);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.POLICY_VIOLATION,
                        "brokencfg",
                        d -> d.path("rule").asText().equals("unlinked-commit")
                                && d.path("commitId").asText().equals(unlinked)),
                WAIT);
        as("alice").post("/repos/brokencfg/poll").then().statusCode(200);

        // Fixed: the repository's settings apply at once.
        TestRepo.git(repo.bare, "config", "gitcrq.requireLinkedCommits", "no");
        as("alice")
                .get("/repos/brokencfg/policy")
                .then()
                .statusCode(200)
                .body("source", equalTo("repository"))
                .body("branchTypes", contains("spike"))
                .body("requireLinkedCommits", equalTo(false))
                .body("error", nullValue());
        createBranch("brokencfg", "feature/CRQ-9-x", "main")
                .then()
                .statusCode(400)
                .body("detail", containsString("branch type 'feature' is not allowed; types: spike"));
        as("alice").get("/repos/nope/policy").then().statusCode(404).contentType("application/problem+json");
    }

    private TestRepo testRepo(String name) {
        return TestRepo.create(mirrorDir.getParent(), name);
    }

    private static io.restassured.response.Response createBranch(String repo, String name, String from) {
        return as("dave").body(Map.of("name", name, "from", from)).post("/repos/" + repo + "/branches");
    }

    @Transactional
    @SuppressWarnings("unchecked")
    Map<String, String> positions(String repo) {
        List<Object[]> rows = em.createNativeQuery("SELECT branch, head FROM branch_position WHERE repo = ?1")
                .setParameter(1, repo)
                .getResultList();
        return rows.stream().collect(java.util.stream.Collectors.toMap(r -> (String) r[0], r -> (String) r[1]));
    }
}
