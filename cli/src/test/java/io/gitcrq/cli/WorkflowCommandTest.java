package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandTest {

    private static final String YAML = """
            name: stage
            jobs:
              build:
                steps:
                  - name: Compile
                    run: make
            """;

    /** A run as the exec-agent shows it: RUNNING with the build done and the tests going on. */
    private static final String RUNNING = """
            {"runId":"r-1","name":"stage","status":"RUNNING","crqId":"CRQ-3","session":"wf-r-1","jobs":[
              {"jobId":"build","name":"build","status":"SUCCESS","steps":[
                {"index":0,"name":"Compile","status":"SUCCESS","outcome":"SUCCESS","exitCode":0,"execId":"e-1"}]},
              {"jobId":"test","name":"test (a, 1)","status":"RUNNING","steps":[
                {"index":0,"name":"Run tests","status":"RUNNING","execId":"e-2"}]}]}
            """;

    /** The same run ended: a test failed, its failure() step ran, a step and a job skipped. */
    private static final String FAILED = """
            {"runId":"r-1","name":"stage","status":"FAILURE","crqId":"CRQ-3","session":"wf-r-1","host":"dev1",
             "requestedBy":"alice","workspace":"/w","startedAt":"2026-01-02T03:04:05.123Z",
             "finishedAt":"2026-01-02T03:04:09Z","jobs":[
              {"jobId":"build","name":"build","status":"SUCCESS","steps":[
                {"index":0,"name":"Compile","status":"SUCCESS","outcome":"SUCCESS","exitCode":0,"execId":"e-1"}]},
              {"jobId":"test","name":"test (a, 1)","status":"FAILURE","steps":[
                {"index":0,"name":"Run tests","status":"FAILURE","outcome":"FAILURE","exitCode":3,"execId":"e-2"},
                {"index":1,"name":"Report","status":"SUCCESS","outcome":"SUCCESS","exitCode":0,"execId":"e-3"},
                {"index":2,"name":"Upload","status":"SKIPPED","outcome":"SKIPPED","exitCode":null,"execId":null}]},
              {"jobId":"slow","name":"slow","status":"SUCCESS","steps":[
                {"index":0,"name":"Sleep","status":"SUCCESS","outcome":"FAILURE","exitCode":143,"timedOut":true,
                 "execId":"e-4"}]},
              {"jobId":"deploy","name":"deploy","status":"SKIPPED","steps":[]}]}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private FakeService agent;
    private CliRunner cli;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        agent = FakeService.start();
        cli = new CliRunner().service(Service.EXEC_AGENT, agent).workingDirectory(dir);
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.writeString(dir.resolve(".github/workflows/stage.yml"), YAML);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void runSendsTheFileFollowsTheRunStepByStepAndExitsNonZeroWhenItFails() throws Exception {
        agent.on(
                "POST",
                "/workflows",
                202,
                "{\"runId\":\"r-1\",\"name\":\"stage\",\"status\":\"RUNNING\","
                        + "\"session\":\"wf-r-1\",\"jobs\":[]}");
        agent.on("GET", "/workflows/r-1", 200, RUNNING);
        agent.on("GET", "/workflows/r-1", 200, RUNNING);
        agent.on("GET", "/workflows/r-1", 200, FAILED);

        CliRunner.Result result = cli.run(
                "workflow",
                "run",
                ".github/workflows/stage.yml",
                "--crq",
                "crq-3",
                "--session",
                "dev",
                "--user",
                "alice");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        // Each step once, as it ends, in the order the runs list them; the skipped job too.
        assertThat(result.out()).isEqualTo("""
                workflow stage: run r-1 (tmux session wf-r-1)
                ✓ build / Compile
                ✗ test (a, 1) / Run tests  exit 3
                ✓ test (a, 1) / Report
                - test (a, 1) / Upload  skipped
                ✓ slow / Sleep  exit 143, timed out (continue-on-error)
                - deploy  skipped
                workflow stage FAILURE (run r-1)
                """);
        FakeService.Request submit = agent.requests().get(0);
        assertThat(submit.method() + " " + submit.path()).isEqualTo("POST /workflows");
        assertThat(submit.authorization()).isEqualTo(basic("alice", "s3cret-pw"));
        assertThat(submit.json())
                .isEqualTo(json.createObjectNode()
                        .put("crq", "CRQ-3")
                        .put("workflow", YAML)
                        .put("source", ".github/workflows/stage.yml")
                        .put("session", "dev"));
        assertThat(agent.requests()).hasSize(4);
        assertThat(agent.requests().subList(1, 4))
                .allSatisfy(r -> assertThat(r.method() + " " + r.path()).isEqualTo("GET /workflows/r-1"));
    }

    @Test
    void aSuccessfulRunExitsZeroAndJsonPrintsTheFinalRunOnly() throws Exception {
        agent.on("POST", "/workflows", 202, "{\"runId\":\"r-2\",\"status\":\"RUNNING\",\"jobs\":[]}");
        agent.on("GET", "/workflows/r-2", 200, """
                {"runId":"r-2","name":"stage","status":"SUCCESS","jobs":[{"jobId":"build","name":"build",
                 "status":"SUCCESS","steps":[{"index":0,"name":"Compile","status":"SUCCESS","exitCode":0}]}]}""");

        CliRunner.Result plain = cli.run(
                "workflow",
                "run",
                dir.resolve(".github/workflows/stage.yml").toString(),
                "--crq",
                "CRQ-3",
                "--workspace",
                "/src/app",
                "--user",
                "alice");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).endsWith("✓ build / Compile\nworkflow stage SUCCESS (run r-2)\n");
        assertThat(agent.requests().get(0).json().get("workspace").asText()).isEqualTo("/src/app");

        CliRunner.Result asJson = cli.run(
                "workflow", "run", ".github/workflows/stage.yml", "--crq", "CRQ-3", "--user", "alice", "--json");
        assertThat(asJson.exitCode()).as(asJson.err()).isZero();
        assertThat(json.readTree(asJson.out()).get("status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void noWaitPrintsTheRunIdWithoutPolling() {
        agent.on("POST", "/workflows", 202, "{\"runId\":\"r-9\",\"status\":\"RUNNING\",\"jobs\":[]}");

        CliRunner.Result result = cli.run(
                "workflow", "run", ".github/workflows/stage.yml", "--crq", "CRQ-3", "--no-wait", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("r-9\n");
        assertThat(agent.requests()).hasSize(1);
    }

    @Test
    void aWorkflowTheEngineRefusesIsAnErrorWithItsMessage() {
        agent.on(
                "POST",
                "/workflows",
                400,
                FakeService.problem(
                        400,
                        "Bad Request",
                        "stage.yml:6: job 'build' step 2 ('Checkout'): 'uses: actions/checkout@v4' is not supported"));

        CliRunner.Result result =
                cli.run("workflow", "run", ".github/workflows/stage.yml", "--crq", "CRQ-3", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("400 Bad Request: stage.yml:6: job 'build' step 2 ('Checkout'): 'uses:");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMissingFileOrCrqIsAUsageErrorAndNothingIsSent() {
        CliRunner.Result missing = cli.run("workflow", "run", "nope.yml", "--crq", "CRQ-3", "--user", "alice");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read workflow file").contains("nope.yml");

        CliRunner.Result noCrq = cli.run("workflow", "run", ".github/workflows/stage.yml", "--user", "alice");
        assertThat(noCrq.exitCode()).isEqualTo(2);
        assertThat(noCrq.err()).contains("--crq");

        assertThat(cli.run("workflow").exitCode()).isEqualTo(2);
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void givesUpFollowingAfterTheTimeout() {
        agent.on("POST", "/workflows", 202, "{\"runId\":\"r-1\",\"status\":\"RUNNING\",\"jobs\":[]}");
        agent.on("GET", "/workflows/r-1", 200, RUNNING);

        CliRunner.Result result = cli.run(
                "workflow",
                "run",
                ".github/workflows/stage.yml",
                "--crq",
                "CRQ-3",
                "--timeout",
                "0",
                "--user",
                "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("✓ build / Compile");
        assertThat(result.err()).contains("did not finish within 0 s").contains("gitcrq workflow show r-1");
    }

    @Test
    void showPrintsEveryJobAndStepWithTheExecThatRanIt() {
        agent.on("GET", "/workflows/r-1", 200, FAILED);

        CliRunner.Result result = cli.run("workflow", "show", "r-1", "--user", "bob");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                run r-1  stage  FAILURE
                  crq CRQ-3, requested by alice, on dev1, tmux session wf-r-1
                  workspace /w, started 2026-01-02T03:04:05Z, finished 2026-01-02T03:04:09Z
                ✓ build / Compile  [exec e-1]
                ✗ test (a, 1) / Run tests  exit 3  [exec e-2]
                ✓ test (a, 1) / Report  [exec e-3]
                - test (a, 1) / Upload  skipped
                ✓ slow / Sleep  exit 143, timed out (continue-on-error)  [exec e-4]
                - deploy  skipped
                """);
        assertThat(agent.onlyRequest().path()).isEqualTo("/workflows/r-1");
    }

    @Test
    void runOfAFileInARepositorySendsRepoRefAndFileAndShowsTheCommit() throws Exception {
        agent.on(
                "POST",
                "/workflows",
                202,
                "{\"runId\":\"r-5\",\"name\":\"build\",\"status\":\"RUNNING\","
                        + "\"session\":\"wf-r-5\",\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"jobs\":[]}");
        agent.on(
                "GET",
                "/workflows/r-5",
                200,
                "{\"runId\":\"r-5\",\"name\":\"build\",\"status\":\"SUCCESS\"," + "\"jobs\":[]}");

        CliRunner.Result result = cli.run(
                "workflow",
                "run",
                "--repo",
                "src/app",
                "--ref",
                "feature/CRQ-3-x",
                "--file",
                ".gitcrq/workflows/build.yml",
                "--crq",
                "CRQ-3",
                "--user",
                "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                workflow build: run r-5 (tmux session wf-r-5, commit 0123456789abcdef0123456789abcdef01234567)
                workflow build SUCCESS (run r-5)
                """);
        // A relative --repo is taken from the current directory.
        assertThat(agent.requests().get(0).json())
                .isEqualTo(json.createObjectNode()
                        .put("crq", "CRQ-3")
                        .put("repo", dir.resolve("src/app").toString())
                        .put("ref", "feature/CRQ-3-x")
                        .put("file", ".gitcrq/workflows/build.yml"));
    }

    @Test
    void aFileAndARepositoryOrARepositoryWithoutFileAreUsageErrors() {
        assertThat(cli.run(
                                "workflow",
                                "run",
                                ".github/workflows/stage.yml",
                                "--repo",
                                "/src/app",
                                "--file",
                                "x.yml",
                                "--crq",
                                "CRQ-3",
                                "--user",
                                "alice")
                        .err())
                .contains("give a workflow FILE, or --repo with --file");
        CliRunner.Result noFile = cli.run("workflow", "run", "--repo", "/src/app", "--crq", "CRQ-3", "--user", "alice");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("--file is required with --repo");
        CliRunner.Result refAlone = cli.run(
                "workflow", "run", ".github/workflows/stage.yml", "--ref", "main", "--crq", "CRQ-3", "--user", "alice");
        assertThat(refAlone.exitCode()).isEqualTo(2);
        assertThat(refAlone.err()).contains("--ref and --file go with --repo");
        assertThat(cli.run("workflow", "run", "--crq", "CRQ-3", "--user", "alice")
                        .exitCode())
                .isEqualTo(2);
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void cancelAsksTheAgentAndWaitsForTheRunToEndCancelled() {
        agent.on(
                "POST",
                "/workflows/r-1/cancel",
                202,
                "{\"runId\":\"r-1\",\"status\":\"RUNNING\"," + "\"cancelledBy\":\"alice\"}");
        agent.on("GET", "/workflows/r-1", 200, RUNNING);
        agent.on(
                "GET",
                "/workflows/r-1",
                200,
                "{\"runId\":\"r-1\",\"name\":\"stage\",\"status\":\"CANCELLED\","
                        + "\"cancelledBy\":\"alice\",\"jobs\":[]}");

        CliRunner.Result result = cli.run("workflow", "cancel", "r-1", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("workflow stage CANCELLED (run r-1)\n");
        assertThat(agent.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /workflows/r-1/cancel", "GET /workflows/r-1", "GET /workflows/r-1");
    }

    @Test
    void cancelOfAnEndedRunIsAnErrorAndNoWaitDoesNotPoll() {
        agent.on(
                "POST",
                "/workflows/r-1/cancel",
                409,
                FakeService.problem(409, "Conflict", "workflow run r-1 has ended: SUCCESS"));
        CliRunner.Result ended = cli.run("workflow", "cancel", "r-1", "--user", "alice");
        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.err()).contains("409 Conflict: workflow run r-1 has ended: SUCCESS");

        agent.on(
                "POST",
                "/workflows/r-2/cancel",
                202,
                "{\"runId\":\"r-2\",\"status\":\"RUNNING\"," + "\"cancelledBy\":\"alice\"}");
        CliRunner.Result noWait = cli.run("workflow", "cancel", "r-2", "--no-wait", "--user", "alice");
        assertThat(noWait.exitCode()).as(noWait.err()).isZero();
        assertThat(noWait.out()).isEqualTo("workflow run r-2 cancelling (by alice)\n");
        assertThat(agent.requests()).hasSize(2);
    }

    @Test
    void listShowsACrqsRunsNewestFirst() {
        agent.on("GET", "/workflows", 200, """
                [{"runId":"r-2","name":"build","status":"CANCELLED","source":"main:.gitcrq/workflows/build.yml",
                  "commit":"0123456789abcdef0123456789abcdef01234567","requestedBy":"dave",
                  "startedAt":"2026-01-02T03:05:00Z","jobs":null},
                 {"runId":"r-1","name":"stage","status":"SUCCESS","source":"stage.yml","requestedBy":"alice",
                  "startedAt":"2026-01-02T03:04:05.123Z","jobs":null}]""");

        CliRunner.Result result = cli.run("workflow", "list", "--crq", "crq-3", "--status", "success", "--user", "bob");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                RUN  STATUS     NAME   SOURCE                            COMMIT        BY     STARTED
                r-2  CANCELLED  build  main:.gitcrq/workflows/build.yml  0123456789ab  dave   2026-01-02T03:05:00Z
                r-1  SUCCESS    stage  stage.yml                         -             alice  2026-01-02T03:04:05Z
                """);
        assertThat(agent.onlyRequest().path()).isEqualTo("/workflows");
        assertThat(agent.onlyRequest().query()).isEqualTo("crq=CRQ-3&status=success&limit=20");
    }

    @Test
    void showOfAnUnknownRunIsAnError() {
        agent.on(
                "GET", "/workflows/r-404", 404, FakeService.problem(404, "Not Found", "no workflow run r-404 on dev1"));

        CliRunner.Result result = cli.run("workflow", "show", "r-404", "--user", "bob");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no workflow run r-404");
    }
}
