package io.gitcrq.cli;

import static io.gitcrq.cli.ExecAgentSamples.exec;
import static io.gitcrq.cli.ExecAgentSamples.launched;
import static io.gitcrq.cli.Fixtures.answer;
import static io.gitcrq.cli.Fixtures.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.gitcrq.model.api.mcp.CrqTokenView;
import java.time.Instant;
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

    /** A profile as the agent shows it: with {@code mcp} it gives its tool gitcrq's MCP server. */
    private void profile(String name, boolean mcp) {
        agent.on(
                "GET",
                "/launches/profiles/" + name,
                200,
                mcp ? "{\"tool\":\"gemini\",\"mcp\":\"gemini\"}" : "{\"tool\":\"" + name + "\"}");
    }

    /** mcp-server as the CLI is pointed at it, making token {@code id} ({@code token}) for CRQ-12 as alice. */
    private FakeService mcpServerMaking(String id, String token) {
        FakeService mcpServer = FakeService.start();
        mcpServer.on(
                "POST",
                "/crq-tokens",
                201,
                answer(new CrqTokenView(id, token, "CRQ-12", "alice", Instant.parse("2026-12-03T20:00:00Z"))));
        cli.service(Service.MCP_SERVER, mcpServer);
        return mcpServer;
    }

    private FakeService.Request launchRequest() {
        return launchRequests().get(0);
    }

    private List<FakeService.Request> launchRequests() {
        return agent.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/launches"))
                .toList();
    }

    @Test
    void launchesAProfileWithTheGivenParametersAndSaysWhereItRuns() throws Exception {
        profile("gemini", false);
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
        assertThat(sent(launchRequest(), StartLaunchRequest.class))
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
                        List.of("process", "file"),
                        null));
    }

    @Test
    void aProfileWithMcpGivesItsToolATokenForTheCrqMadeAtMcpServerAsTheUser() throws Exception {
        try (FakeService mcpServer = mcpServerMaking("t-1", "gcqt_secret-token")) {
            profile("gemini", true);
            agent.on(
                    "POST",
                    "/launches",
                    202,
                    answer(launched(
                            "e-9", "CRQ-12", "gemini", "/w/demo/CRQ-12", "feature/CRQ-12-login-timeout", "gemini")));

            CliRunner.Result result =
                    cli.run("launch", "gemini", "--crq", "CRQ-12", "--mcp-minutes", "90", "--user", "alice");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out())
                    .contains("mcp:      gitcrq's MCP server, with a token for CRQ-12 alone"
                            + " (until 2026-12-03T20:00:00Z)")
                    .doesNotContain("gcqt_secret-token");
            FakeService.Request made = mcpServer.onlyRequest();
            assertThat(made.json().path("crqId").asText()).isEqualTo("CRQ-12");
            assertThat(made.json().path("validForMinutes").asInt()).isEqualTo(90);
            assertThat(made.authorization()).startsWith("Basic ");
            assertThat(sent(launchRequest(), StartLaunchRequest.class).mcpToken())
                    .isEqualTo("gcqt_secret-token");

            // --no-mcp: no token made, none sent.
            CliRunner.Result without = cli.run("launch", "gemini", "--crq", "CRQ-12", "--no-mcp", "--user", "alice");
            assertThat(without.exitCode()).as(without.err()).isZero();
            assertThat(mcpServer.requests()).hasSize(1);
            assertThat(sent(launchRequests().get(1), StartLaunchRequest.class).mcpToken())
                    .isNull();
        }
    }

    @Test
    void aTokenMadeForALaunchTheAgentRefusesIsRevoked() throws Exception {
        try (FakeService mcpServer = mcpServerMaking("t-2", "gcqt_unused")) {
            profile("gemini", true);
            mcpServer.on("DELETE", "/crq-tokens/t-2", 204, "");
            agent.on("POST", "/launches", 400, FakeService.problem(400, "Bad Request", "no project demo"));

            CliRunner.Result result = cli.run("launch", "gemini", "--crq", "CRQ-12", "--user", "alice");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.err()).contains("no project demo");
            assertThat(mcpServer.requests())
                    .extracting(r -> r.method() + " " + r.path())
                    .containsExactly("POST /crq-tokens", "DELETE /crq-tokens/t-2");
        }
    }

    @Test
    void waitsForTheToolWithArgumentsReplacingTheProfiles() throws Exception {
        profile("gemini", false);
        agent.on(
                "POST",
                "/launches",
                202,
                answer(launched(
                        "e-8", "CRQ-12", "gemini", "/w/demo/CRQ-12", "feature/CRQ-12-login-timeout", "gemini")));
        agent.on("GET", "/execs/e-8", 200, answer(exec("e-8", "FINISHED", 3, "/var/log/gitcrq/e-8.log")));
        agent.on(
                "GET",
                "/execs/e-8/recording",
                200,
                "{\"version\":2,\"width\":80,\"height\":24}\n" + "[0.2,\"o\",\"0.61.0\\r\\n\"]\n");

        CliRunner.Result result =
                cli.run("launch", "gemini", "--crq", "CRQ-12", "--wait", "--user", "alice", "--", "--version");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        // What the tool printed, then how it ended.
        assertThat(result.out()).isEqualTo("0.61.0\r\n\nexec e-8 FINISHED, exit code 3\n");
        CliRunner.Result quiet = cli.run(
                "launch", "gemini", "--crq", "CRQ-12", "--wait", "--no-output", "--user", "alice", "--", "--version");
        assertThat(quiet.out()).isEqualTo("exec e-8 FINISHED, exit code 3\n");
        assertThat(sent(launchRequest(), StartLaunchRequest.class).args()).containsExactly("--version");
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
        profile("rogue", false);
        agent.on("POST", "/launches", 403, """
                {"title":"Forbidden","status":403,"detail":"launch profile rogue is not allowed on dev-1"}""");
        CliRunner.Result result = cli.run("launch", "rogue", "--crq", "CRQ-1", "--user", "alice");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("launch profile rogue is not allowed on dev-1");
    }
}
