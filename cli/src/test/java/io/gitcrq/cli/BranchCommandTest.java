package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.crq;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.git.CreatedBranch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BranchCommandTest {

    private final ObjectMapper json = new ObjectMapper();
    private FakeService crqService;
    private FakeService gitWatcher;
    private CliRunner cli;

    @BeforeEach
    void start() {
        crqService = FakeService.start();
        gitWatcher = FakeService.start();
        cli = new CliRunner().service(Service.CRQ, crqService).service(Service.GIT_WATCHER, gitWatcher);
    }

    @AfterEach
    void stop() {
        crqService.close();
        gitWatcher.close();
    }

    /** git-watcher's answer to a branch it created. */
    private static String created(String repo, String branch) {
        return Fixtures.answer(new CreatedBranch(repo, branch, "0123456789abcdef0123456789abcdef01234567"));
    }

    @Test
    void startCreatesThePolicyNamedBranchFromTheCrqTarget() throws Exception {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "APPROVED", "webapp", "release"));
        gitWatcher.on("POST", "/repos/webapp/branches", 201, created("webapp", "feature/CRQ-4-login-timeout"));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "feature", "--desc", "Login Timeout!", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("feature/CRQ-4-login-timeout\n");
        assertThat(crqService.onlyRequest().path()).isEqualTo("/crqs/CRQ-4");
        FakeService.Request create = gitWatcher.onlyRequest();
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.authorization()).isEqualTo(basic("alice", "s3cret-pw"));
        assertThat(create.json())
                .isEqualTo(json.readTree("{\"name\":\"feature/CRQ-4-login-timeout\",\"from\":\"release\"}"));
    }

    @Test
    void anExplicitRepoEqualToTheCrqsIsAccepted() {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "DRAFT", "webapp", "main"));
        gitWatcher.on("POST", "/repos/webapp/branches", 201, created("webapp", "bugfix/CRQ-4-x-y"));

        CliRunner.Result result = cli.run(
                "branch", "start", "CRQ-4", "--type", "bugfix", "--desc", "x y", "--repo", "webapp", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("bugfix/CRQ-4-x-y\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLOSED", "MERGED", "REJECTED", "CANCELLED"})
    void startRefusesAClosedCrqWithoutCallingGitWatcher(String status) {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", status, "webapp", "main"));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "feature", "--desc", "late work", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: CRQ-4 is " + status + " (closed): no new branches for it\n");
        assertThat(result.out()).isEmpty();
        assertThat(gitWatcher.requests()).isEmpty();
    }

    @Test
    void aTypeIsTheRepositorysToJudgeGitWatcherRefusesOneItDoesNotAllow() throws Exception {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "APPROVED", "webapp", "main"));
        String detail = "branch type 'wip' is not allowed; types: feature, spike; rule of webapp: <type>/CRQ-<n>-<slug>"
                + " with <type> one of feature, spike (e.g. feature/CRQ-12-login-timeout)";
        gitWatcher.on("POST", "/repos/webapp/branches", 400, FakeService.problem(400, "Bad Request", detail));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "wip", "--desc", "stuff", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: " + detail + "\n");
        assertThat(result.out()).isEmpty();
        // Not judged by the defaults here: the name went to git-watcher, which knows the repository's policy.
        assertThat(gitWatcher.onlyRequest().json())
                .isEqualTo(json.readTree("{\"name\":\"wip/CRQ-4-stuff\",\"from\":\"main\"}"));
    }

    @Test
    void aTypeOutsideTheDefaultsIsStartedWhenTheRepositoryAllowsIt() throws Exception {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "APPROVED", "webapp", "main"));
        gitWatcher.on("POST", "/repos/webapp/branches", 201, created("webapp", "spike/CRQ-4-try-it"));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "spike", "--desc", "Try it", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("spike/CRQ-4-try-it\n");
        assertThat(gitWatcher.onlyRequest().json().path("name").asText()).isEqualTo("spike/CRQ-4-try-it");
    }

    @Test
    void startRefusesADescriptionWithoutASlugWithoutCallingAnyService() {
        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "feature", "--desc", "!!!", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: the description must contain letters or digits");
        assertThat(gitWatcher.requests()).isEmpty();
        assertThat(crqService.requests()).isEmpty();
    }

    @Test
    void startRefusesAnUnknownCrq() {
        crqService.on("GET", "/crqs/CRQ-40", 404, FakeService.problem(404, "Not Found", "no such CRQ"));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-40", "--type", "feature", "--desc", "x", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("unknown CRQ CRQ-40");
        assertThat(gitWatcher.requests()).isEmpty();
    }

    @Test
    void startRefusesARepoOtherThanTheCrqs() {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "APPROVED", "webapp", "main"));

        CliRunner.Result result = cli.run(
                "branch", "start", "CRQ-4", "--type", "feature", "--desc", "x", "--repo", "other", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: CRQ-4 is for repository webapp, not other\n");
        assertThat(gitWatcher.requests()).isEmpty();
    }

    @Test
    void aGitWatcherProblemIsReported() {
        crqService.on("GET", "/crqs/CRQ-4", 200, crq("CRQ-4", "APPROVED", "webapp", "main"));
        gitWatcher.on(
                "POST",
                "/repos/webapp/branches",
                409,
                FakeService.problem(409, "Conflict", "branch feature/CRQ-4-x exists"));

        CliRunner.Result result =
                cli.run("branch", "start", "CRQ-4", "--type", "feature", "--desc", "x", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: 409 Conflict: branch feature/CRQ-4-x exists\n");
    }
}
