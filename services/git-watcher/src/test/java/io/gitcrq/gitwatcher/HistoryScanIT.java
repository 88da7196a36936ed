package io.gitcrq.gitwatcher;

import static io.gitcrq.gitwatcher.TestSupport.as;
import static io.gitcrq.gitwatcher.TestSupport.commitsPushed;
import static io.gitcrq.gitwatcher.TestSupport.count;
import static io.gitcrq.gitwatcher.TestSupport.event;
import static io.gitcrq.gitwatcher.TestSupport.execute;
import static io.gitcrq.gitwatcher.TestSupport.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * History scans (backfill) and the unlinked-commits report, on repositories with a history of a few hundred
 * commits made with {@code git fast-import}. Same test resources as {@link GitWatcherIT}: one application
 * start for all. The scan chunk size is 64 there, so a scan takes several chunks.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "gitwatcher"))
@QuarkusTestResource(WatchedReposTestResource.class)
class HistoryScanIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2021-01-01T00:00:00Z");
    private static final int MAIN_COMMITS = 300;
    private static final int FEATURE_COMMITS = 20;
    private static final int WIP_COMMITS = 15;
    private static final int TOTAL = MAIN_COMMITS + FEATURE_COMMITS + WIP_COMMITS;

    @ConfigProperty(name = "gitcrq.git-watcher.mirror-dir")
    Path mirrorDir;

    /** Reads Git events as crq-service, one of their readers (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);

    /** One commit of the generated history and what git-watcher should make of it. */
    private record Made(String id, String branch, String message, Instant when, List<String> crqIds) {
        boolean unlinked() {
            return crqIds.isEmpty();
        }
    }

    @Test
    void aScanAnnouncesTheWholeHistoryOnceWithTheCrqsItsMessagesName() {
        List<Made> history = history("hist");
        Path bare = bare("hist");
        assertThat(TestRepo.git(bare, "rev-list", "--all", "--count")).isEqualTo(String.valueOf(TOTAL));
        register("hist", bare.toString()).then().statusCode(201);
        // Registering takes the history as seen without announcing it.
        assertThat(commitsPushed("hist")).isEmpty();

        as("alice")
                .get("/repos/hist/scan")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("never been scanned"));
        as("alice")
                .post("/repos/nope/scan")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no watched repository"));
        as("alice").get("/repos/nope/scan").then().statusCode(404);
        as("alice")
                .post("/repos/hist/scan?branch=nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no branch nope"));
        as("alice").post("/repos/hist/scan?branch=a..b").then().statusCode(400).contentType("application/problem+json");
        given().post("/repos/hist/scan").then().statusCode(401);

        // One branch: its own commits, not the history it shares with the default branch.
        as("alice")
                .post("/repos/hist/scan?branch=wip/old")
                .then()
                .statusCode(202)
                .header("Location", endsWith("/repos/hist/scan"))
                .body("repo", equalTo("hist"))
                .body("branch", equalTo("wip/old"))
                .body("startedAt", org.hamcrest.Matchers.notNullValue());
        JsonPath wip = awaitScan("hist");
        assertThat(wip.getString("state")).isEqualTo("DONE");
        assertThat(wip.getLong("total")).isEqualTo(WIP_COMMITS);
        assertThat(wip.getLong("scanned")).isEqualTo(WIP_COMMITS);
        assertThat(wip.getLong("emitted")).isEqualTo(WIP_COMMITS);
        assertThat(commitsPushed("hist"))
                .hasSize(WIP_COMMITS)
                .allSatisfy(c -> assertThat(c.path("branch").asText()).isEqualTo("wip/old"));

        // Every branch: the rest of the history, in chunks of 64.
        as("alice").post("/repos/hist/scan").then().statusCode(202).body("branch", nullValue());
        JsonPath all = awaitScan("hist");
        assertThat(all.getString("state")).isEqualTo("DONE");
        assertThat(all.getLong("total")).isEqualTo(TOTAL);
        assertThat(all.getLong("scanned")).isEqualTo(TOTAL);
        assertThat(all.getLong("emitted")).isEqualTo(TOTAL - WIP_COMMITS);
        assertThat(all.getString("finishedAt")).isNotNull();
        assertThat(all.getString("error")).isNull();

        // Each commit announced exactly once, with its branch and the CRQs its message (or branch) names.
        List<JsonNode> pushed = commitsPushed("hist");
        assertThat(pushed).hasSize(TOTAL);
        Map<String, JsonNode> byId = new HashMap<>();
        pushed.forEach(p -> assertThat(byId.put(p.path("commitId").asText(), p))
                .as("announced twice")
                .isNull());
        for (Made made : history) {
            JsonNode p = byId.get(made.id());
            assertThat(p).as(made.message()).isNotNull();
            assertThat(p.path("branch").asText()).as(made.message()).isEqualTo(made.branch());
            assertThat(p.path("crqIds").toString()).as(made.message()).isEqualTo(asJson(made.crqIds()));
            assertThat(p.path("message").asText()).isEqualTo(made.message() + "\n");
        }
        assertThat(count("SELECT count(*) FROM emitted_commit WHERE repo = 'hist'"))
                .isEqualTo(TOTAL);
        // A backfill reports no violations: those commits were pushed before the rule was watched.
        assertThat(count("SELECT count(*) FROM policy_violation WHERE repo = 'hist' AND rule = 'unlinked-commit'"))
                .isZero();
        // On the real topic too, each once.
        Made lowercase = history.stream()
                .filter(m -> m.message().startsWith("fix crq-8"))
                .findFirst()
                .orElseThrow();
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "hist",
                        d -> d.path("commitId").asText().equals(lowercase.id())
                                && d.path("crqIds").toString().equals("[\"CRQ-8\"]")),
                WAIT);
        assertThat(topics.awaitAll(Topics.GIT_EVENTS, event(EventType.COMMIT_PUSHED, "hist", d -> true), TOTAL, WAIT))
                .hasSize(TOTAL);

        // Again: everything is known, nothing is announced.
        as("bob").post("/repos/hist/scan").then().statusCode(202);
        JsonPath again = awaitScan("hist");
        assertThat(again.getString("state")).isEqualTo("DONE");
        assertThat(again.getLong("total")).isEqualTo(TOTAL);
        assertThat(again.getLong("emitted")).isZero();
        assertThat(commitsPushed("hist")).hasSize(TOTAL);

        // One scan at a time: a running scan (one that reports) refuses another; a stalled one is taken over.
        execute(
                "UPDATE history_scan SET state = 'RUNNING', finished_at = NULL, updated_at = now() WHERE repo = 'hist'");
        as("alice").get("/repos/hist/scan").then().statusCode(200).body("state", equalTo("RUNNING"));
        as("alice")
                .post("/repos/hist/scan")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("is running"));
        execute(
                "UPDATE history_scan SET updated_at = ?1 WHERE repo = 'hist'",
                Timestamp.from(Instant.now().minus(Duration.ofMinutes(11))));
        as("alice").get("/repos/hist/scan").then().statusCode(200).body("state", equalTo("INTERRUPTED"));
        as("alice").post("/repos/hist/scan").then().statusCode(202);
        assertThat(awaitScan("hist").getString("state")).isEqualTo("DONE");
        assertThat(commitsPushed("hist")).hasSize(TOTAL);
    }

    @Test
    void theUnlinkedReportListsExactlyTheCommitsNamingNoCrqNewestFirst() {
        List<Made> history = history("unl");
        register("unl", bare("unl").toString()).then().statusCode(201);
        as("alice")
                .get("/repos/unl/unlinked-commits")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("commits.size()", equalTo(0));
        as("alice").post("/repos/unl/scan").then().statusCode(202);
        assertThat(awaitScan("unl").getString("state")).isEqualTo("DONE");

        List<Made> unlinked = history.stream()
                .filter(Made::unlinked)
                .sorted(Comparator.comparing(Made::when).reversed())
                .toList();
        assertThat(unlinked).hasSize(MAIN_COMMITS / 3 + WIP_COMMITS);

        JsonPath everything = as("alice")
                .get("/repos/unl/unlinked-commits?size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(everything.getLong("total")).isEqualTo(unlinked.size());
        assertThat(everything.getInt("page")).isZero();
        assertThat(everything.getInt("size")).isEqualTo(500);
        assertThat(everything.getList("commits.commitId")).isEqualTo(ids(unlinked));
        Made newest = unlinked.get(0);
        assertThat(everything.getString("commits[0].branch")).isEqualTo(newest.branch());
        assertThat(everything.getString("commits[0].subject")).isEqualTo(newest.message());
        assertThat(everything.getString("commits[0].authorEmail")).isEqualTo("dev@example.test");
        assertThat(everything.getString("commits[0].authorName")).isEqualTo("Dev Eloper");
        assertThat(Instant.parse(everything.getString("commits[0].committedAt")))
                .isEqualTo(newest.when());

        // Pages of the default size 50, and smaller ones.
        as("alice")
                .get("/repos/unl/unlinked-commits")
                .then()
                .statusCode(200)
                .body("size", equalTo(50))
                .body("commits.size()", equalTo(50))
                .body("total", equalTo(unlinked.size()));
        List<Object> page = as("alice")
                .get("/repos/unl/unlinked-commits?size=10&page=1")
                .then()
                .statusCode(200)
                .body("page", equalTo(1))
                .body("size", equalTo(10))
                .extract()
                .jsonPath()
                .getList("commits.commitId");
        assertThat(page).isEqualTo(ids(unlinked.subList(10, 20)));
        as("alice")
                .get("/repos/unl/unlinked-commits?size=100&page=9")
                .then()
                .statusCode(200)
                .body("commits.size()", equalTo(0))
                .body("total", equalTo(unlinked.size()));

        // By branch.
        JsonPath wip = as("alice")
                .get("/repos/unl/unlinked-commits?branch=wip/old&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(wip.getList("commits.commitId"))
                .isEqualTo(ids(unlinked.stream()
                        .filter(m -> m.branch().equals("wip/old"))
                        .toList()));
        assertThat(wip.getLong("total")).isEqualTo(WIP_COMMITS);
        as("alice")
                .get("/repos/unl/unlinked-commits?branch=feature/CRQ-9-backfill")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));

        // By time: from inclusive, to exclusive; instants with an offset, and plain dates.
        Instant from = T0.plus(Duration.ofHours(20));
        Instant to = T0.plus(Duration.ofHours(62));
        JsonPath window = as("alice")
                .queryParam("branch", "main")
                .queryParam("from", from.toString())
                .queryParam("to", to.atOffset(java.time.ZoneOffset.ofHours(2)).toString())
                .get("/repos/unl/unlinked-commits")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Made> expected = unlinked.stream()
                .filter(m -> m.branch().equals("main")
                        && !m.when().isBefore(from)
                        && m.when().isBefore(to))
                .toList();
        assertThat(expected).isNotEmpty();
        assertThat(window.getList("commits.commitId")).isEqualTo(ids(expected));
        assertThat(window.getLong("total")).isEqualTo(expected.size());
        JsonPath firstDay = as("alice")
                .get("/repos/unl/unlinked-commits?from=2021-01-01&to=2021-01-02")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(firstDay.getList("commits.commitId"))
                .isEqualTo(ids(unlinked.stream()
                        .filter(m -> m.when().isBefore(Instant.parse("2021-01-02T00:00:00Z")))
                        .toList()));

        // Refused with a problem body.
        for (String bad : List.of(
                "from=yesterday",
                "to=2021-13-01",
                "from=2021-01-02&to=2021-01-01",
                "size=0",
                "size=501",
                "page=-1",
                "page=x")) {
            as("alice")
                    .get("/repos/unl/unlinked-commits?" + bad)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.notNullValue());
        }
        as("alice").get("/repos/nope/unlinked-commits").then().statusCode(404).contentType("application/problem+json");
        given().get("/repos/unl/unlinked-commits").then().statusCode(401);
    }

    /** Polls the scan's progress until it is no longer running. */
    private static JsonPath awaitScan(String repo) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath progress = as("alice")
                    .get("/repos/" + repo + "/scan")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            last.set(progress);
            return !"RUNNING".equals(progress.getString("state"));
        });
        return last.get();
    }

    /**
     * A bare repository with {@value #MAIN_COMMITS} commits on main (a third name CRQ-7 in their subject, a third
     * crq-8 in lower case, a third nothing), {@value #FEATURE_COMMITS} on feature/CRQ-9-backfill naming nothing
     * (so its CRQ is the branch's) and {@value #WIP_COMMITS} on wip/old naming nothing; one hour apart each.
     */
    private List<Made> history(String name) {
        Path bare = bare(name);
        TestRepo.git(mirrorDir.getParent(), "init", "--bare", "--initial-branch=main", bare.toString());
        StringBuilder stream = new StringBuilder();
        List<String[]> specs = new ArrayList<>(); // branch, message, epoch seconds, crq
        int mark = 0;
        for (int i = 1; i <= MAIN_COMMITS; i++) {
            String message = switch (i % 3) {
                case 0 -> "CRQ-7: change number " + i;
                case 1 -> "fix crq-8 in lower case, change " + i;
                default -> "tidy up number " + i;
            };
            String crq = switch (i % 3) {
                case 0 -> "CRQ-7";
                case 1 -> "CRQ-8";
                default -> "";
            };
            commit(stream, ++mark, "main", mark == 1 ? 0 : mark - 1, message, T0.plus(Duration.ofHours(i)));
            specs.add(new String[] {"main", message, crq});
        }
        int fork = mark;
        for (int j = 1; j <= FEATURE_COMMITS; j++) {
            String message = "backfilled work " + j;
            commit(
                    stream,
                    ++mark,
                    "feature/CRQ-9-backfill",
                    j == 1 ? 100 : mark - 1,
                    message,
                    T0.plus(Duration.ofHours(1000 + j)));
            specs.add(new String[] {"feature/CRQ-9-backfill", message, "CRQ-9"});
        }
        for (int j = 1; j <= WIP_COMMITS; j++) {
            String message = "wip " + j;
            commit(stream, ++mark, "wip/old", j == 1 ? 150 : mark - 1, message, T0.plus(Duration.ofHours(2000 + j)));
            specs.add(new String[] {"wip/old", message, ""});
        }
        assertThat(fork).isEqualTo(MAIN_COMMITS);
        stream.append("done\n");
        String marks = bare.resolveSibling(name + ".marks").toString();
        TestRepo.gitWithInput(bare, stream.toString(), "fast-import", "--quiet", "--done", "--export-marks=" + marks);
        Map<Integer, String> ids = new HashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of(marks))) {
                String[] parts = line.split(" ");
                ids.put(Integer.parseInt(parts[0].substring(1)), parts[1]);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<Made> made = new ArrayList<>();
        for (int m = 1; m <= mark; m++) {
            String[] spec = specs.get(m - 1);
            Instant when = whenOf(m);
            made.add(new Made(ids.get(m), spec[0], spec[1], when, spec[2].isEmpty() ? List.of() : List.of(spec[2])));
        }
        return made;
    }

    private static Instant whenOf(int mark) {
        if (mark <= MAIN_COMMITS) {
            return T0.plus(Duration.ofHours(mark));
        }
        if (mark <= MAIN_COMMITS + FEATURE_COMMITS) {
            return T0.plus(Duration.ofHours(1000 + mark - MAIN_COMMITS));
        }
        return T0.plus(Duration.ofHours(2000 + mark - MAIN_COMMITS - FEATURE_COMMITS));
    }

    private static void commit(
            StringBuilder stream, int mark, String branch, int parent, String message, Instant when) {
        byte[] data = message.getBytes(StandardCharsets.UTF_8);
        String ident = "Dev Eloper <dev@example.test> " + when.getEpochSecond() + " +0000";
        stream.append("commit refs/heads/")
                .append(branch)
                .append('\n')
                .append("mark :")
                .append(mark)
                .append('\n')
                .append("author ")
                .append(ident)
                .append('\n')
                .append("committer ")
                .append(ident)
                .append('\n')
                .append("data ")
                .append(data.length + 1)
                .append('\n')
                .append(message)
                .append('\n');
        if (parent > 0) {
            stream.append("from :").append(parent).append('\n');
        }
        stream.append('\n');
    }

    private Path bare(String name) {
        return mirrorDir.getParent().resolve(name + ".git");
    }

    private static List<Object> ids(List<Made> made) {
        return made.stream().map(m -> (Object) m.id()).toList();
    }

    private static String asJson(List<String> crqIds) {
        return crqIds.stream().map(id -> "\"" + id + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
