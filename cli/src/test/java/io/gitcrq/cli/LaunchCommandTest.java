package io.gitcrq.cli;

import static io.gitcrq.cli.ExecAgentSamples.exec;
import static io.gitcrq.cli.ExecAgentSamples.launched;
import static io.gitcrq.cli.Fixtures.answer;
import static io.gitcrq.cli.Fixtures.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LaunchCommandTest {

    private FakeService agent;
    private CliRunner cli;

    @BeforeEach
    void start() {
        agent = FakeService.start();
        cli = new CliRunner().service(Service.EXEC_AGENT, agent);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void launchesAProfileWithTheGivenParametersAndSaysWhereItRuns() throws Exception {
        agent.on(
                "POST",
                "/launches",
                202,
                answer(launched(
                        "e-7", "CRQ-12", "gemini", "/w/demo/CRQ-12", "feature/CRQ-12-login-timeout", "gemini")));

        CliRunner.Result result = cli.run(
                "launch",
                "gemini",
                "--crq",
                "crq-12",
                "--project",
                "demo",
                "--env",
                "DEBUG=1",
                "--env",
                "EMPTY=",
                "--audit",
                "process,file",
                "--user",
                "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                launched gemini for CRQ-12: exec e-7 in tmux pane CRQ-12:gemini
                worktree: /w/demo/CRQ-12 (branch feature/CRQ-12-login-timeout)
                attach:   tmux -L gitcrq attach -t 'CRQ-12:gemini'
                """);
        assertThat(sent(agent.requests().get(0), StartLaunchRequest.class))
                .isEqualTo(new StartLaunchRequest(
                        "gemini",
                        "CRQ-12",
                        "demo",
                        null,
                        null,
                        null,
                        null,
                        Map.of("DEBUG", "1", "EMPTY", ""),
                        null,
                        null,
                        List.of("process", "file")));
    }

    @Test
    void waitsForTheToolWithArgumentsReplacingTheProfiles() throws Exception {
        agent.on(
                "POST",
                "/launches",
                202,
                answer(launched(
                        "e-8", "CRQ-12", "gemini", "/w/demo/CRQ-12", "feature/CRQ-12-login-timeout", "gemini")));
        agent.on("GET", "/execs/e-8", 200, answer(exec("e-8", "FINISHED", 3, "/var/log/gitcrq/e-8.log")));

        CliRunner.Result result =
                cli.run("launch", "gemini", "--crq", "CRQ-12", "--wait", "--user", "alice", "--", "--version");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("exec e-8 FINISHED, exit code 3\n");
        assertThat(sent(agent.requests().get(0), StartLaunchRequest.class).args())
                .containsExactly("--version");
    }

    @Test
    void listsProfilesAndRefusesAnIncompleteLaunch() {
        agent.on("GET", "/launches/profiles", 200, "{\"gemini\":\"Gemini CLI\",\"shell\":\"\"}");
        CliRunner.Result list = cli.run("launch", "--list", "--user", "alice");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo("gemini  Gemini CLI\nshell\n");

        CliRunner.Result missing = cli.run("launch", "gemini", "--user", "alice");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--crq CRQ-n");
        CliRunner.Result badEnv = cli.run("launch", "gemini", "--crq", "CRQ-1", "--env", "NOEQUALS", "--user", "alice");
        assertThat(badEnv.exitCode()).isEqualTo(2);
        assertThat(badEnv.err()).contains("NAME=VALUE");
    }

    @Test
    void aRefusedLaunchShowsTheAgentsProblem() {
        agent.on("POST", "/launches", 403, """
                {"title":"Forbidden","status":403,"detail":"launch profile rogue is not allowed on dev-1"}""");
        CliRunner.Result result = cli.run("launch", "rogue", "--crq", "CRQ-1", "--user", "alice");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("launch profile rogue is not allowed on dev-1");
    }
}
