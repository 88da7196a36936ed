package io.gitcrq.cli;

import static io.gitcrq.cli.ExecAgentSamples.job;
import static io.gitcrq.cli.ExecAgentSamples.run;
import static io.gitcrq.cli.ExecAgentSamples.step;
import static io.gitcrq.cli.Fixtures.answer;
import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    private static final String RUNNING = answer(run(
            "r-1",
            "stage",
            "RUNNING",
            "wf-r-1",
            null,
            null,
            List.of(
                    job("build", "build", "SUCCESS", step(0, "Compile", "SUCCESS", "SUCCESS", 0, false, "e-1")),
                    job("test", "test (a, 1)", "RUNNING", step(0, "Run tests", "RUNNING", null, null, false, "e-2")))));

    /** The same run ended: a test failed, its failure() step ran, a step and a job skipped. */
    private static final String FAILED = answer(new WorkflowView(
            "r-1",
            "stage",
            "stage.yml",
            "FAILURE",
            "CRQ-3",
            "dev1",
            "wf-r-1",
            "/w",
            null,
            null,
            null,
            "/runs/r-1",
            "alice",
            null,
            null,
            Instant.parse("2026-01-02T03:04:05.123Z"),
            Instant.parse("2026-01-02T03:04:09Z"),
            List.of(
                    job("build", "build", "SUCCESS", step(0, "Compile", "SUCCESS", "SUCCESS", 0, false, "e-1")),
                    job(
                            "test",
                            "test (a, 1)",
                            "FAILURE",
                            step(0, "Run tests", "FAILURE", "FAILURE", 3, false, "e-2"),
                            step(1, "Report", "SUCCESS", "SUCCESS", 0, false, "e-3"),
                            step(2, "Upload", "SKIPPED", "SKIPPED", null, false, null)),
                    job("slow", "slow", "SUCCESS", step(0, "Sleep", "SUCCESS", "FAILURE", 143, true, "e-4")),
                    job("deploy", "deploy", "SKIPPED"))));

    private final ObjectMapper mapper = ApiJson.mapper();
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
        agent.on("POST", "/workflows", 202, answer(run("r-1", "stage", "RUNNING", "wf-r-1", null, null, List.of())));
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
        assertThat(sent(submit, StartWorkflowRequest.class))
                .isEqualTo(new StartWorkflowRequest(
                        "CRQ-3", YAML, null, ".github/workflows/stage.yml", "dev", null, null, null, null));
        assertThat(agent.requests()).hasSize(4);
        assertThat(agent.requests().subList(1, 4))
                .allSatisfy(r -> assertThat(r.method() + " " + r.path()).isEqualTo("GET /workflows/r-1"));
    }

    @Test
    void aSuccessfulRunExitsZeroAndJsonPrintsTheFinalRunOnly() throws Exception {
        agent.on("POST", "/workflows", 202, answer(run("r-2", "stage", "RUNNING", "wf-r-2", null, null, List.of())));
        WorkflowView succeeded = run(
                "r-2",
                "stage",
                "SUCCESS",
                "wf-r-2",
                null,
                null,
                List.of(job("build", "build", "SUCCESS", step(0, "Compile", "SUCCESS", "SUCCESS", 0, false, "e-1"))));
        agent.on("GET", "/workflows/r-2", 200, answer(succeeded));

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
        assertThat(sent(agent.requests().get(0), StartWorkflowRequest.class).workspace())
                .isEqualTo("/src/app");

        CliRunner.Result asJson = cli.run(
                "workflow", "run", ".github/workflows/stage.yml", "--crq", "CRQ-3", "--user", "alice", "--json");
        assertThat(asJson.exitCode()).as(asJson.err()).isZero();
        assertThat(mapper.readValue(asJson.out(), WorkflowView.class)).isEqualTo(succeeded);
    }

    @Test
    void noWaitPrintsTheRunIdWithoutPolling() {
        agent.on("POST", "/workflows", 202, answer(run("r-9", "stage", "RUNNING", "wf-r-9", null, null, List.of())));

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
        agent.on("POST", "/workflows", 202, answer(run("r-1", "stage", "RUNNING", "wf-r-1", null, null, List.of())));
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
        String commit = "0123456789abcdef0123456789abcdef01234567";
        agent.on("POST", "/workflows", 202, answer(run("r-5", "build", "RUNNING", "wf-r-5", commit, null, List.of())));
        agent.on(
                "GET",
                "/workflows/r-5",
                200,
                answer(run("r-5", "build", "SUCCESS", "wf-r-5", commit, null, List.of())));

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
        assertThat(sent(agent.requests().get(0), StartWorkflowRequest.class))
                .isEqualTo(new StartWorkflowRequest(
                        "CRQ-3",
                        null,
                        null,
                        null,
                        null,
                        null,
                        dir.resolve("src/app").toString(),
                        "feature/CRQ-3-x",
                        ".gitcrq/workflows/build.yml"));
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
                answer(run("r-1", "stage", "RUNNING", "wf-r-1", null, "alice", List.of())));
        agent.on("GET", "/workflows/r-1", 200, RUNNING);
        agent.on(
                "GET",
                "/workflows/r-1",
                200,
                answer(run("r-1", "stage", "CANCELLED", "wf-r-1", null, "alice", List.of())));

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
                answer(run("r-2", "stage", "RUNNING", "wf-r-2", null, "alice", List.of())));
        CliRunner.Result noWait = cli.run("workflow", "cancel", "r-2", "--no-wait", "--user", "alice");
        assertThat(noWait.exitCode()).as(noWait.err()).isZero();
        assertThat(noWait.out()).isEqualTo("workflow run r-2 cancelling (by alice)\n");
        assertThat(agent.requests()).hasSize(2);
    }

    @Test
    void listShowsACrqsRunsNewestFirst() {
        agent.on(
                "GET",
                "/workflows",
                200,
                answer(List.of(
                        listed(
                                "r-2",
                                "build",
                                "CANCELLED",
                                "main:.gitcrq/workflows/build.yml",
                                "0123456789abcdef0123456789abcdef01234567",
                                "dave",
                                "2026-01-02T03:05:00Z"),
                        listed("r-1", "stage", "SUCCESS", "stage.yml", null, "alice", "2026-01-02T03:04:05.123Z"))));

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

    /** A run as {@code GET /workflows} lists it: without its jobs. */
    private static WorkflowView listed(
            String runId, String name, String status, String source, String commit, String by, String startedAt) {
        return new WorkflowView(
                runId,
                name,
                source,
                status,
                "CRQ-3",
                "dev1",
                "wf-" + runId,
                "/w",
                null,
                null,
                commit,
                null,
                by,
                null,
                null,
                Instant.parse(startedAt),
                null,
                null);
    }
}
