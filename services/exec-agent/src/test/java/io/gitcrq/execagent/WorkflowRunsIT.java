package io.gitcrq.execagent;

import static io.gitcrq.execagent.ExecAgentIT.as;
import static io.gitcrq.execagent.ExecAgentIT.awaitWorkflow;
import static io.gitcrq.execagent.ExecAgentIT.read;
import static io.gitcrq.execagent.ExecAgentIT.step;
import static io.gitcrq.execagent.ExecAgentIT.steps;
import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.testsupport.files.TempTrees;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow runs of a file committed in a real Git repository, cancelled runs and a CRQ's runs: the same real broker,
 * database and tmux server as {@link ExecAgentIT}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
class WorkflowRunsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FILE = ".gitcrq/workflows/build.yml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EntityManager em;

    /** Reads exec and audit events as audit-collector (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);

    @Inject
    TestCrqs crqs;

    /** The CRQs these workflows run for, created as crq-service creates them: steps run only for those. */
    @BeforeEach
    void crqsAnnounced() {
        crqs.open("CRQ-312", "CRQ-313", "CRQ-314", "CRQ-41", "CRQ-42", "CRQ-43");
    }

    @Test
    void aWorkflowFileIsReadFromTheCommitItsRefNamesAndRunsInTheRepositorysWorkTree() throws Exception {
        Path repo = TempTrees.create("exec-agent-repo-");
        git(repo, "init", "-q", "-b", "main");
        commit(repo, FILE, """
                jobs:
                  build:
                    steps:
                      - run: echo "main $GITHUB_SHA" > ran.txt
                """, "CRQ-312: the main build");
        String mainSha = git(repo, "rev-parse", "HEAD");
        git(repo, "checkout", "-q", "-b", "feature/CRQ-312-x");
        commit(repo, FILE, """
                jobs:
                  build:
                    steps:
                      - run: |
                          echo "feature ${{ github.sha }} ${{ github.ref }}" > ran.txt
                          pwd > where.txt
                """, "CRQ-312: the feature's build");
        String featureSha = git(repo, "rev-parse", "HEAD");
        git(repo, "checkout", "-q", "main");
        // What the work tree holds is not what runs: the commit's file is.
        Files.writeString(repo.resolve(FILE), "jobs: {build: {steps: [{run: 'echo worktree > ran.txt'}]}}");

        String featureRun = as("alice")
                .body(Map.of("crq", "crq-312", "repo", repo.toString(), "ref", "feature/CRQ-312-x", "file", FILE))
                .post("/workflows")
                .then()
                .statusCode(202)
                .body("repo", equalTo(repo.toString()))
                .body("ref", equalTo("feature/CRQ-312-x"))
                .body("commit", equalTo(featureSha))
                .body("workspace", equalTo(repo.toString()))
                .body("source", equalTo("feature/CRQ-312-x:" + FILE))
                .extract()
                .path("runId");
        awaitWorkflow(featureRun, WAIT);
        as("bob")
                .get("/workflows/" + featureRun)
                .then()
                .body("status", equalTo("SUCCESS"))
                .body("commit", equalTo(featureSha));
        assertThat(read(repo, "ran.txt")).isEqualTo("feature " + featureSha + " refs/heads/feature/CRQ-312-x");
        assertThat(read(repo, "where.txt")).isEqualTo(repo.toString());
        assertThat(runRow(featureRun)).containsExactly(repo.toString(), "feature/CRQ-312-x", featureSha);
        JsonNode started = audits.await(v -> v.contains(featureRun) && v.contains("\"started\""), WAIT)
                .data();
        assertThat(started.at("/payload/commit").asText()).isEqualTo(featureSha);
        assertThat(started.at("/payload/repo").asText()).isEqualTo(repo.toString());
        assertThat(started.at("/payload/workflow").asText()).contains("feature ${{ github.sha }}");

        // No ref: HEAD, here main.
        String mainRun = as("alice")
                .body(Map.of("crq", "CRQ-312", "repo", repo.toString(), "file", FILE))
                .post("/workflows")
                .then()
                .statusCode(202)
                .body("ref", equalTo("HEAD"))
                .body("commit", equalTo(mainSha))
                .extract()
                .path("runId");
        awaitWorkflow(mainRun, WAIT);
        as("alice").get("/workflows/" + mainRun).then().body("status", equalTo("SUCCESS"));
        assertThat(read(repo, "ran.txt")).isEqualTo("main " + mainSha);
    }

    @Test
    void aRepositoryRefOrFileThatIsNotThereIsAProblemNamingItAndNothingRuns() throws Exception {
        Path repo = TempTrees.create("exec-agent-repo-");
        git(repo, "init", "-q", "-b", "main");
        commit(repo, FILE, "jobs: {a: {steps: [{run: 'true'}]}}", "CRQ-313: build");
        Path plain = TempTrees.create("exec-agent-not-a-repo-");
        long runsBefore = count("SELECT count(*) FROM workflow_run");

        problem(
                Map.of("crq", "CRQ-313", "repo", plain.toString(), "file", FILE),
                400,
                "repo " + plain + " is not a Git repository");
        problem(Map.of("crq", "CRQ-313", "repo", "relative/repo", "file", FILE), 400, "absolute");
        problem(
                Map.of("crq", "CRQ-313", "repo", repo.toString(), "ref", "no-such-branch", "file", FILE),
                404,
                "no ref 'no-such-branch' in repository " + repo);
        problem(
                Map.of("crq", "CRQ-313", "repo", repo.toString(), "file", ".gitcrq/workflows/missing.yml"),
                404,
                "no file .gitcrq/workflows/missing.yml at HEAD");
        problem(
                Map.of("crq", "CRQ-313", "repo", repo.toString(), "file", "../outside.yml"),
                400,
                "inside the repository");
        problem(
                Map.of("crq", "CRQ-313", "repo", repo.toString(), "file", ".gitcrq/../../outside.yml"),
                400,
                "inside the repository");
        problem(Map.of("crq", "CRQ-313", "repo", repo.toString(), "file", "/etc/passwd"), 400, "inside the repository");
        problem(
                Map.of("crq", "CRQ-313", "repo", repo.toString(), "file", ".gitcrq/workflows"),
                400,
                "is not a file (a directory)");
        problem(Map.of("crq", "CRQ-313", "repo", repo.toString()), 400, "file is required with repo");
        problem(
                Map.of("crq", "CRQ-313", "workflow", "jobs: {a: {steps: [{run: 'true'}]}}", "file", FILE),
                400,
                "ref and file go with repo");
        problem(
                Map.of("crq", "CRQ-313", "workflow", "jobs: {}", "repo", repo.toString(), "file", FILE),
                400,
                "give one of");

        assertThat(count("SELECT count(*) FROM workflow_run")).isEqualTo(runsBefore);
    }

    @Test
    void cancellingARunStopsItsRunningStepAndRunsOnlyTheStepsThatAskToRunAfterACancellation() throws Exception {
        String runId = as("alice")
                .body(Map.of("crq", "CRQ-314", "workflow", """
                        jobs:
                          work:
                            steps:
                              - name: Sleep
                                run: |
                                  sleep 30 &
                                  echo $! > sleep.pid
                                  wait
                                  echo done > slept.txt
                              - name: Always
                                if: always()
                                run: echo "${{ job.status }} ${{ cancelled() }}" > always.txt
                              - name: Later
                                run: echo later > later.txt
                              - name: On cancel
                                if: cancelled()
                                run: echo cancelled > on-cancel.txt
                        """))
                .post("/workflows")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
        Path workspace =
                Path.of(as("alice").get("/workflows/" + runId).then().extract().<String>path("workspace"));
        await().atMost(WAIT)
                .until(() -> Files.exists(workspace.resolve("sleep.pid"))
                        && !Files.readString(workspace.resolve("sleep.pid")).isBlank());
        long sleepPid = Long.parseLong(read(workspace, "sleep.pid"));
        assertThat(running(sleepPid)).isTrue();

        // Only those who may start runs may cancel them.
        as("bob")
                .post("/workflows/" + runId + "/cancel")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Instant cancelled = Instant.now();
        as("dave")
                .post("/workflows/" + runId + "/cancel")
                .then()
                .statusCode(202)
                .body("runId", equalTo(runId))
                .body("cancelledBy", equalTo("dave"));
        awaitWorkflow(runId, WAIT);
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(15));

        JsonNode run = JSON.readTree(
                as("alice").get("/workflows/" + runId).then().extract().asString());
        assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(run.get("cancelledBy").asText()).isEqualTo("dave");
        assertThat(steps(run, "work"))
                .containsExactly("Sleep=CANCELLED/143", "Always=SUCCESS/0", "Later=CANCELLED/-", "On cancel=SUCCESS/0");
        assertThat(running(sleepPid)).as("the step's sleep, pid " + sleepPid).isFalse();
        assertThat(workspace.resolve("slept.txt")).doesNotExist();
        assertThat(read(workspace, "always.txt")).isEqualTo("cancelled true");
        assertThat(read(workspace, "on-cancel.txt")).isEqualTo("cancelled");
        assertThat(workspace.resolve("later.txt")).doesNotExist();
        assertThat(step(run, "work", "Later").get("execId").isNull()).isTrue();
        as("alice")
                .get("/execs/" + step(run, "work", "Sleep").get("execId").asText())
                .then()
                .body("stoppedBy", equalTo("cancel"));

        // Audited: who cancelled, and the run's end.
        JsonNode requested = audits.await(v -> v.contains(runId) && v.contains("cancel-requested"), WAIT)
                .data();
        assertThat(requested.get("crqId").asText()).isEqualTo("CRQ-314");
        assertThat(requested.at("/payload/cancelledBy").asText()).isEqualTo("dave");
        JsonNode finished = audits.await(v -> v.contains(runId) && v.contains("\"finished\""), WAIT)
                .data();
        assertThat(finished.at("/payload/status").asText()).isEqualTo("CANCELLED");
        assertThat(finished.at("/payload/cancelledBy").asText()).isEqualTo("dave");

        as("dave")
                .post("/workflows/" + runId + "/cancel")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("has ended: CANCELLED"));
        as("dave").post("/workflows/no-such-run/cancel").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aCrqThatClosesStopsItsRunningRunAsACancelWould() throws Exception {
        crqs.open("CRQ-315");
        String runId = as("alice")
                .body(Map.of("crq", "CRQ-315", "workflow", """
                        jobs:
                          work:
                            steps:
                              - name: Sleep
                                run: |
                                  echo $$ > started.txt
                                  sleep 30
                              - name: Later
                                run: echo later > later.txt
                              - name: Clean up
                                if: always()
                                run: echo cleaned > cleaned.txt
                        """))
                .post("/workflows")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
        Path workspace =
                Path.of(as("alice").get("/workflows/" + runId).then().extract().<String>path("workspace"));
        await().atMost(WAIT).until(() -> Files.exists(workspace.resolve("started.txt")));

        crqs.moved("CRQ-315", "SUBMITTED", "CANCELLED");
        awaitWorkflow(runId, WAIT);

        JsonNode run = JSON.readTree(
                as("alice").get("/workflows/" + runId).then().extract().asString());
        assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(run.get("cancelledBy").asText()).isEqualTo("gitcrq (CRQ-315 is CANCELLED)");
        assertThat(steps(run, "work"))
                .containsExactly("Sleep=CANCELLED/143", "Later=CANCELLED/-", "Clean up=SUCCESS/0");
        assertThat(workspace.resolve("later.txt")).doesNotExist();
        assertThat(read(workspace, "cleaned.txt")).isEqualTo("cleaned");
        JsonNode requested = audits.await(v -> v.contains(runId) && v.contains("cancel-requested"), WAIT)
                .data();
        assertThat(requested.at("/payload/cancelledBy").asText()).isEqualTo("gitcrq (CRQ-315 is CANCELLED)");
    }

    @Test
    void aCrqsRunsAreListedNewestFirstAndOnlyThem() throws Exception {
        String ok = "jobs: {a: {steps: [{run: 'true'}]}}";
        String first = start("CRQ-41", ok);
        String failing = start("CRQ-41", "jobs: {a: {steps: [{run: 'exit 1'}]}}");
        String other = start("CRQ-42", ok);
        for (String runId : List.of(first, failing, other)) {
            awaitWorkflow(runId, WAIT);
        }
        String last = start("CRQ-41", ok);
        awaitWorkflow(last, WAIT);

        as("bob")
                .get("/workflows?crq=crq-41")
                .then()
                .statusCode(200)
                .body("runId", equalTo(List.of(last, failing, first)))
                .body("crqId", equalTo(List.of("CRQ-41", "CRQ-41", "CRQ-41")))
                .body("status", equalTo(List.of("SUCCESS", "FAILURE", "SUCCESS")))
                .body("[0].jobs", nullValue());
        as("bob")
                .get("/workflows?crq=CRQ-41&status=success")
                .then()
                .statusCode(200)
                .body("runId", equalTo(List.of(last, first)));
        as("bob")
                .get("/workflows?crq=CRQ-41&limit=2")
                .then()
                .statusCode(200)
                .body("runId", equalTo(List.of(last, failing)));
        as("bob").get("/workflows?crq=CRQ-42").then().statusCode(200).body("runId", equalTo(List.of(other)));
        as("bob").get("/workflows?crq=CRQ-43").then().statusCode(200).body("size()", equalTo(0));

        as("bob")
                .get("/workflows?crq=nope")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("crq must be a CRQ id"));
        as("bob")
                .get("/workflows?crq=CRQ-41&status=DONE")
                .then()
                .statusCode(400)
                .body("detail", containsString("status must be one of"));
        as("bob").get("/workflows?crq=CRQ-41&limit=0").then().statusCode(400).body("detail", containsString("limit"));
        as("bob")
                .get("/workflows?crq=CRQ-41&limit=many")
                .then()
                .statusCode(400)
                .body("detail", containsString("limit"));
    }

    private static String start(String crq, String workflow) {
        return as("alice")
                .body(Map.of("crq", crq, "workflow", workflow))
                .post("/workflows")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
    }

    /** A repeat of a start whose answer was lost gets the first run; its workflow runs once. */
    @Test
    void aRepeatedStartWithItsIdempotencyKeyGetsTheFirstRunAndStartsNoSecond() {
        Map<String, String> request = Map.of("crq", "CRQ-43", "workflow", "jobs: {once: {steps: [{run: 'true'}]}}");
        String key = UUID.randomUUID().toString();
        long runsBefore = count("SELECT count(*) FROM workflow_run");
        String first = as("alice")
                .header("Idempotency-Key", key)
                .body(request)
                .post("/workflows")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", nullValue())
                .extract()
                .path("runId");

        as("alice")
                .header("Idempotency-Key", key)
                .body(request)
                .post("/workflows")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/workflows/" + first))
                .body("runId", equalTo(first));
        assertThat(count("SELECT count(*) FROM workflow_run")).isEqualTo(runsBefore + 1);

        as("alice")
                .header("Idempotency-Key", key)
                .body(Map.of("crq", "CRQ-43", "workflow", "jobs: {other: {steps: [{run: 'true'}]}}"))
                .post("/workflows")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key was sent with another request"));
        assertThat(count("SELECT count(*) FROM workflow_run")).isEqualTo(runsBefore + 1);
    }

    @Test
    void aRunStartsOnlyForACrqTheAgentKnowsAndThatIsStillOpen() {
        String workflow = "jobs: {a: {steps: [{run: 'true'}]}}";
        problem(Map.of("crq", "CRQ-398", "workflow", workflow), 404, "CRQ-398 is not known");
        crqs.created("CRQ-399", "Merged already", "elsewhere");
        crqs.moved("CRQ-399", "APPROVED", "MERGED");
        problem(Map.of("crq", "CRQ-399", "workflow", workflow), 409, "CRQ-399 is MERGED");
        as("alice").get("/workflows?crq=CRQ-399").then().statusCode(200).body("size()", equalTo(0));
    }

    private static void problem(Map<String, String> body, int status, String detail) {
        as("alice")
                .body(body)
                .post("/workflows")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    /** Whether the process is there and not a zombie. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

    private static void commit(Path repo, String file, String content, String message) throws IOException {
        Files.createDirectories(repo.resolve(file).getParent());
        Files.writeString(repo.resolve(file), content);
        git(repo, "add", file);
        git(repo, "-c", "user.name=Alice", "-c", "user.email=alice@example.com", "commit", "-q", "-m", message);
    }

    /** Real git in {@code dir}; its output, trimmed. */
    @Transactional
    List<Object> runRow(String runId) {
        Object[] row =
                (Object[]) em.createNativeQuery("SELECT repo, ref, commit_id FROM workflow_run WHERE run_id = ?1")
                        .setParameter(1, runId)
                        .getSingleResult();
        return List.of(row);
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
