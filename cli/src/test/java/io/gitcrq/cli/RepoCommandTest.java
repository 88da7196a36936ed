package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepoCommandTest {

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
        gitWatcher.on("POST", "/repos", 201, "{\"name\":\"demo\"}");

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
        gitWatcher.on("POST", "/repos", 201, "{\"name\":\"shop\"}");

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
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree("{\"name\":\"shop\"}"));
    }

    @Test
    void listPrintsTheWatchedRepos() {
        gitWatcher.on("GET", "/repos", 200, """
                [{"name":"demo","location":"/srv/demo.git","defaultBranch":"main"},
                 {"name":"webapp","location":"/srv/webapp","defaultBranch":"develop"}]""");

        CliRunner.Result result = cli.run("repo", "list", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "NAME    DEFAULT_BRANCH  LOCATION",
                        "demo    main            /srv/demo.git",
                        "webapp  develop         /srv/webapp");
    }

    @Test
    void violationsAsksForOneRepo() {
        gitWatcher.on("GET", "/violations", 200, """
                [{"repo":"demo","branch":"wip-stuff","problem":"branch 'wip-stuff' does not follow <type>/CRQ-<n>-<slug>",
                  "occurredAt":"2025-03-01T09:00:00.999Z"}]""");

        CliRunner.Result result = cli.run("repo", "violations", "--repo", "demo", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().query()).isEqualTo("repo=demo");
        assertThat(result.out()).contains("2025-03-01T09:00:00Z", "wip-stuff", "does not follow");
    }

    @Test
    void pollPostsToTheRepo() {
        gitWatcher.on("POST", "/repos/demo/poll", 202, "");

        CliRunner.Result result = cli.run("repo", "poll", "demo", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gitWatcher.onlyRequest().method()).isEqualTo("POST");
        assertThat(result.out()).isEqualTo("polled demo\n");
    }
}
