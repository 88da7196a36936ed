package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ScanProgress;
import io.gitcrq.model.api.git.ScanProgress.State;
import io.gitcrq.model.api.git.UnlinkedCommit;
import io.gitcrq.model.api.git.UnlinkedPage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code gitcrq repo scan|scan-status|unlinked} and the webhook options of {@code repo watch}, against a fake git-watcher. */
class RepoScanAndUnlinkedTest {

    private static final Instant STARTED_AT = Instant.parse("2025-03-01T09:00:00.123456Z");
    private static final String STARTED =
            answer(new ScanProgress("demo", null, State.RUNNING, null, 0, 0, STARTED_AT, null, null));
    private static final String COUNTED =
            answer(new ScanProgress("demo", null, State.RUNNING, 200000L, 52000, 51000, STARTED_AT, null, null));
    private static final String DONE = answer(new ScanProgress(
            "demo",
            null,
            State.DONE,
            200000L,
            200000,
            199000,
            STARTED_AT,
            Instant.parse("2025-03-01T09:01:12.5Z"),
            null));

    private final ObjectMapper json = new ObjectMapper();
    private FakeService gitWatcher;
    private CliRunner cli;

    @BeforeEach
    void start() {
        gitWatcher = FakeService.start();
        cli = new CliRunner().service(Service.GIT_WATCHER, gitWatcher);
    }

    @AfterEach
    void stop() {
        gitWatcher.close();
    }

    @Test
    void scanStartsTheScanFollowsItWithAProgressBarOnStderrAndSumsItUp() {
        gitWatcher.on("POST", "/repos/demo/scan", 202, STARTED);
        gitWatcher.on("GET", "/repos/demo/scan", 200, COUNTED);
        gitWatcher.on("GET", "/repos/demo/scan", 200, COUNTED);
        gitWatcher.on("GET", "/repos/demo/scan", 200, DONE);

        CliRunner.Result result = cli.run("repo", "scan", "demo", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "POST /repos/demo/scan",
                        "GET /repos/demo/scan",
                        "GET /repos/demo/scan",
                        "GET /repos/demo/scan");
        assertThat(gitWatcher.requests().get(0).query()).isNull(); // every branch
        // Each state drawn once, in place; the line ended when the scan is over.
        assertThat(result.err())
                .isEqualTo("\r[..............................] 0 commits (counting…)"
                        + "\r[#######.......................] 52,000/200,000 commits (26%)"
                        + "\r[##############################] 200,000/200,000 commits (100%)\n");
        assertThat(result.out())
                .isEqualTo("history scan of demo (every branch) done: 200,000 commits scanned, "
                        + "199,000 announced, 1,000 announced before in 1 min 12 s\n");
    }

    @Test
    void scanOfOneBranchWithoutWaitingOnlyStartsIt() throws Exception {
        gitWatcher.on(
                "POST",
                "/repos/demo/scan",
                202,
                answer(new ScanProgress("demo", "release/2.x", State.RUNNING, null, 0, 0, STARTED_AT, null, null)));

        CliRunner.Result result =
                cli.run("repo", "scan", "demo", "--branch", "release/2.x", "--no-wait", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        FakeService.Request request = gitWatcher.onlyRequest();
        assertThat(request.query()).isEqualTo("branch=release%2F2.x");
        assertThat(result.out())
                .isEqualTo("history scan of demo started (branch release/2.x); see how far it got with: "
                        + "gitcrq repo scan-status demo\n");
        assertThat(result.err()).isEmpty();

        CliRunner.Result asJson = cli.run("repo", "scan", "demo", "--no-wait", "--user", "alice", "--json");
        assertThat(json.readTree(asJson.out()).get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void scanJsonPrintsTheLastProgressOnStdout() throws Exception {
        gitWatcher.on("POST", "/repos/demo/scan", 202, STARTED);
        gitWatcher.on("GET", "/repos/demo/scan", 200, DONE);

        CliRunner.Result result = cli.run("repo", "scan", "demo", "--user", "alice", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree(DONE));
    }

    @Test
    void aFailedScanIsAnError() {
        gitWatcher.on("POST", "/repos/demo/scan", 202, STARTED);
        gitWatcher.on(
                "GET",
                "/repos/demo/scan",
                200,
                answer(new ScanProgress(
                        "demo",
                        null,
                        State.FAILED,
                        200000L,
                        4000,
                        4000,
                        Instant.parse("2025-03-01T09:00:00Z"),
                        Instant.parse("2025-03-01T09:00:09Z"),
                        "cannot read pack")));

        CliRunner.Result result = cli.run("repo", "scan", "demo", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .isEqualTo("history scan of demo (every branch) FAILED after 4,000 commits scanned, "
                        + "4,000 announced, 0 announced before in 9 s: cannot read pack\n");
        assertThat(result.err()).endsWith("\nerror: history scan of demo ended FAILED: cannot read pack\n");
    }

    @Test
    void aScanAlreadyRunningIsRefusedWithTheServicesReason() {
        gitWatcher.on(
                "POST",
                "/repos/demo/scan",
                409,
                FakeService.problem(409, "Conflict", "a history scan of demo is running since 2025-03-01T09:00:00Z"));

        CliRunner.Result result = cli.run("repo", "scan", "demo", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: 409 Conflict: a history scan of demo is running since 2025-03-01T09:00:00Z\n");
        assertThat(gitWatcher.requests()).hasSize(1);
    }

    @Test
    void scanStatusShowsARunningScanOrHowTheLastOneEnded() {
        gitWatcher.on("GET", "/repos/demo/scan", 200, COUNTED);
        gitWatcher.on("GET", "/repos/demo/scan", 200, DONE);

        CliRunner.Result running = cli.run("repo", "scan-status", "demo", "--user", "alice");
        CliRunner.Result done = cli.run("repo", "scan-status", "demo", "--user", "alice");

        assertThat(running.exitCode()).as(running.err()).isZero();
        assertThat(running.out())
                .isEqualTo("history scan of demo (every branch) running since 2025-03-01T09:00:00Z: "
                        + "[#######.......................] 52,000/200,000 commits (26%)\n");
        assertThat(done.out()).startsWith("history scan of demo (every branch) done: 200,000 commits scanned");
    }

    @Test
    void unlinkedSendsTheFiltersAndListsTheCommits() {
        gitWatcher.on(
                "GET",
                "/repos/demo/unlinked-commits",
                200,
                answer(new UnlinkedPage(
                        7,
                        1,
                        2,
                        List.of(
                                new UnlinkedCommit(
                                        "0123456789abcdef0123456789abcdef01234567",
                                        "main",
                                        "Dev Eloper",
                                        "dev@example.test",
                                        Instant.parse("2025-03-02T10:00:00.5Z"),
                                        "tidy up"),
                                new UnlinkedCommit(
                                        "89abcdef0123456789abcdef0123456789abcdef",
                                        "main",
                                        "Ann",
                                        null,
                                        Instant.parse("2025-03-01T09:00:00Z"),
                                        "quick fix")))));

        CliRunner.Result result = cli.run(
                "repo",
                "unlinked",
                "demo",
                "--branch",
                "main",
                "--from",
                "2025-03-01",
                "--to",
                "2025-04-01T00:00:00Z",
                "--page",
                "1",
                "--size",
                "2",
                "--user",
                "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().query())
                .isEqualTo("branch=main&from=2025-03-01&to=2025-04-01T00%3A00%3A00Z&page=1&size=2");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "COMMIT    COMMITTED             BRANCH  AUTHOR            SUBJECT",
                        "01234567  2025-03-02T10:00:00Z  main    dev@example.test  tidy up",
                        "89abcdef  2025-03-01T09:00:00Z  main    Ann               quick fix",
                        "page 1, size 2, total 7");
    }

    @Test
    void unlinkedSaysSoWhenThereAreNoneAndPassesRefusalsOn() throws Exception {
        String empty = answer(new UnlinkedPage(0, 0, 50, List.of()));
        gitWatcher.on("GET", "/repos/demo/unlinked-commits", 200, empty);
        CliRunner.Result none = cli.run("repo", "unlinked", "demo", "--user", "alice");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEqualTo("no unlinked commits\npage 0, size 50, total 0\n");
        assertThat(gitWatcher.requests().get(0).query()).isNull();

        CliRunner.Result asJson = cli.run("repo", "unlinked", "demo", "--user", "alice", "--json");
        assertThat(json.readTree(asJson.out())).isEqualTo(json.readTree(empty));

        FakeService other = FakeService.start();
        try {
            other.on(
                    "GET",
                    "/repos/demo/unlinked-commits",
                    400,
                    FakeService.problem(
                            400,
                            "Bad Request",
                            "from is not an ISO-8601 instant (e.g. 2025-03-01T09:00:00Z) or date (2025-03-01): yesterday"));
            CliRunner.Result refused = new CliRunner()
                    .service(Service.GIT_WATCHER, other)
                    .run("repo", "unlinked", "demo", "--from", "yesterday", "--user", "alice");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).startsWith("error: 400 Bad Request: from is not an ISO-8601 instant");
        } finally {
            other.close();
        }
    }

    @Test
    void watchTakesTheWebhookSecretFromAnEnvironmentVariableOnly() throws Exception {
        gitWatcher.on(
                "POST",
                "/repos",
                201,
                answer(new RepoView(
                        "shop",
                        "https://git.example.com/acme/shop.git",
                        true,
                        "main",
                        Instant.parse("2025-03-01T08:00:00Z"),
                        "acme/shop",
                        true)));

        CliRunner.Result result = cli.env("SHOP_WEBHOOK_SECRET", "s3cret-hook-value")
                .run(
                        "repo",
                        "watch",
                        "https://git.example.com/acme/shop.git",
                        "--name",
                        "shop",
                        "--webhook-name",
                        "acme/shop",
                        "--webhook-secret-env",
                        "SHOP_WEBHOOK_SECRET",
                        "--user",
                        "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().json()).isEqualTo(json.readTree("""
                {"name":"shop","location":"https://git.example.com/acme/shop.git","defaultBranch":"main",
                 "webhookName":"acme/shop","webhookSecret":"s3cret-hook-value"}"""));
        assertThat(result.out())
                .isEqualTo("watching shop (https://git.example.com/acme/shop.git), default branch main\n"
                        + "push webhooks: POST <git-watcher>/webhooks/github|gitlab|gitea for acme/shop\n");
        assertThat(result.out() + result.err()).doesNotContain("s3cret-hook-value");

        CliRunner.Result unset = cli.env("SHOP_WEBHOOK_SECRET", null)
                .run(
                        "repo",
                        "watch",
                        "/srv/shop.git",
                        "--webhook-secret-env",
                        "SHOP_WEBHOOK_SECRET",
                        "--user",
                        "alice");
        assertThat(unset.exitCode()).isEqualTo(2);
        assertThat(unset.err())
                .isEqualTo("error: --webhook-secret-env: environment variable SHOP_WEBHOOK_SECRET is not set\n");
        assertThat(gitWatcher.requests()).hasSize(1);
    }
}
