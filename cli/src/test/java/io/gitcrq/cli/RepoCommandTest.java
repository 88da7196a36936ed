package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.git.PollSummary;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ViolationView;
import io.gitcrq.model.event.PolicyViolation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepoCommandTest {

    private static final Instant REGISTERED = Instant.parse("2025-03-01T08:00:00.123456Z");

    private final ObjectMapper json = new ObjectMapper();
    private FakeService gitWatcher;
    private CliRunner cli;

    @BeforeEach
    void start() {
        gitWatcher = FakeService.start();
        cli = new CliRunner().service(Service.GIT_WATCHER, gitWatcher).workingDirectory(Path.of("/home/dev/work"));
    }

    @AfterEach
    void stop() {
        gitWatcher.close();
    }

    @Test
    void watchSendsAnAbsolutePathAndNamesTheRepoAfterIt() throws Exception {
        gitWatcher.on(
                "POST",
                "/repos",
                201,
                answer(new RepoView("demo", "/home/dev/repos/demo.git", false, "main", REGISTERED, null, false)));

        CliRunner.Result result = cli.run("repo", "watch", "../repos/demo.git", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        FakeService.Request request = gitWatcher.onlyRequest();
        assertThat(request.path()).isEqualTo("/repos");
        assertThat(request.json())
                .isEqualTo(json.readTree(
                        "{\"name\":\"demo\",\"location\":\"/home/dev/repos/demo.git\",\"defaultBranch\":\"main\"}"));
        assertThat(result.out()).isEqualTo("watching demo (/home/dev/repos/demo.git), default branch main\n");
    }

    @Test
    void watchKeepsUrlsAndHonoursNameAndDefaultBranch() throws Exception {
        String answer = answer(
                new RepoView("shop", "https://git.example.com/team/app.git", true, "develop", REGISTERED, null, false));
        gitWatcher.on("POST", "/repos", 201, answer);

        CliRunner.Result result = cli.run(
                "repo",
                "watch",
                "https://git.example.com/team/app.git",
                "--name",
                "shop",
                "--default-branch",
                "develop",
                "--user",
                "alice",
                "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().json())
                .isEqualTo(
                        json.readTree(
                                "{\"name\":\"shop\",\"location\":\"https://git.example.com/team/app.git\",\"defaultBranch\":\"develop\"}"));
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree(answer));
    }

    @Test
    void listPrintsTheWatchedRepos() {
        gitWatcher.on(
                "GET",
                "/repos",
                200,
                answer(List.of(
                        new RepoView("demo", "/srv/demo.git", false, "main", REGISTERED, null, false),
                        new RepoView("webapp", "/srv/webapp", false, "develop", REGISTERED, "acme/webapp", true))));

        CliRunner.Result result = cli.run("repo", "list", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "NAME    DEFAULT_BRANCH  LOCATION       REMOTE  REGISTERED_AT         WEBHOOK_NAME  WEBHOOK_ENABLED",
                        "demo    main            /srv/demo.git  false   2025-03-01T08:00:00Z  -             false",
                        "webapp  develop         /srv/webapp    false   2025-03-01T08:00:00Z  acme/webapp   true");
    }

    @Test
    void violationsAsksForOneRepo() {
        gitWatcher.on(
                "GET",
                "/violations",
                200,
                answer(List.of(new ViolationView(
                        "demo",
                        "wip-stuff",
                        "0123456789abcdef0123456789abcdef01234567",
                        PolicyViolation.RULE_BRANCH_NAME,
                        "branch 'wip-stuff' does not follow <type>/CRQ-<n>-<slug>",
                        Instant.parse("2025-03-01T09:00:00.999Z")))));

        CliRunner.Result result = cli.run("repo", "violations", "--repo", "demo", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().query()).isEqualTo("repo=demo");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "DETECTED_AT           REPO  RULE         REF        COMMIT_ID"
                                + "                                 DETAIL",
                        "2025-03-01T09:00:00Z  demo  branch-name  wip-stuff  0123456789abcdef0123456789abcdef01234567  "
                                + "branch 'wip-stuff' does not follow <type>/CRQ-<n>-<slug>");
    }

    @Test
    void pollPostsToTheRepo() {
        gitWatcher.on(
                "POST",
                "/repos/demo/poll",
                200,
                answer(new PollSummary("demo", List.of(), List.of(), List.of(), List.of())));

        CliRunner.Result result = cli.run("repo", "poll", "demo", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().method()).isEqualTo("POST");
        assertThat(result.out()).isEqualTo("polled demo\n");
    }

    @Test
    void unwatchDeletesTheRepoAndSaysSoOrShowsTheRefusal() {
        gitWatcher.on("DELETE", "/repos/demo", 204, "");
        gitWatcher.on(
                "DELETE",
                "/repos/theirs",
                403,
                "{\"status\":403,\"title\":\"Forbidden\",\"detail\":\"only an admin or bob may stop watching theirs\"}");

        CliRunner.Result done = cli.run("repo", "unwatch", "demo", "--user", "alice");
        CliRunner.Result refused = cli.run("repo", "unwatch", "theirs", "--user", "alice");

        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).isEqualTo("no longer watching demo\n");
        assertThat(gitWatcher.requests().get(0).method()).isEqualTo("DELETE");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("only an admin or bob may stop watching theirs");
    }
}
