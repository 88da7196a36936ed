package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.crq;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.process.CliEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorsAndSettingsTest {

    private FakeService crqService;
    private CliRunner cli;

    @BeforeEach
    void start() {
        crqService = FakeService.start();
        cli = new CliRunner().service(Service.CRQ, crqService);
    }

    @AfterEach
    void stop() {
        crqService.close();
    }

    @Test
    void unauthorizedNamesTheUserAndNeverThePassword() {
        crqService.on("GET", "/crqs/CRQ-1", 401, FakeService.problem(401, "Unauthorized", "bad credentials"));

        CliRunner.Result result = cli.run("crq", "show", "CRQ-1", "--user", "mallory");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: authentication failed for user mallory");
        assertThat(result.out() + result.err()).doesNotContain("s3cret-pw");
    }

    @Test
    void forbiddenShowsTheServicesReason() {
        crqService.on(
                "POST",
                "/crqs/CRQ-1/approve",
                403,
                FakeService.problem(403, "Forbidden", "alice cannot approve her own CRQ"));

        CliRunner.Result result = cli.run("crq", "approve", "CRQ-1", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: forbidden: alice cannot approve her own CRQ\n");
    }

    @Test
    void anErrorWithoutAProblemBodyStillSaysWhatHappened() {
        crqService.on("GET", "/crqs/CRQ-1", 500, "");

        CliRunner.Result result = cli.run("crq", "show", "CRQ-1", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: 500 Internal Server Error\n");
    }

    @Test
    void anUnreachableServiceExits3WithAHint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CliRunner.Result result = cli.property("gitcrq.crq-url", url).run("crq", "list", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .isEqualTo("error: cannot reach crq-service at " + url + ": start the platform with ./gitcrq up\n");
    }

    @Test
    void eachServiceIsNamedWhenUnreachable() {
        CliRunner.Result result = cli.run("audit", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: cannot reach audit-collector at http://127.0.0.1:9:");
    }

    @Test
    void aUserIsRequired() {
        CliRunner.Result result = cli.run("crq", "show", "CRQ-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--user").contains("GITCRQ_USER");
        assertThat(crqService.requests()).isEmpty();
    }

    @Test
    void withoutPasswordOrConsoleItFailsClearly() {
        CliRunner.Result result = cli.env("GITCRQ_PASSWORD", null).run("crq", "show", "CRQ-1", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .isEqualTo("error: no password for alice: set GITCRQ_PASSWORD or run in a terminal to be prompted\n");
        assertThat(crqService.requests()).isEmpty();
    }

    @Test
    void thePasswordIsPromptedForOnceWhenNotInTheEnvironment() {
        crqService.on("GET", "/crqs/CRQ-1", 200, crq("CRQ-1", "DRAFT", "webapp", "main"));
        AtomicInteger prompts = new AtomicInteger();

        CliRunner.Result result = cli.env("GITCRQ_PASSWORD", null)
                .prompt(prompt -> {
                    prompts.incrementAndGet();
                    assertThat(prompt).isEqualTo("password for alice: ");
                    return Optional.of("typed-pw".toCharArray());
                })
                .run("crq", "show", "CRQ-1", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(prompts).hasValue(1);
        assertThat(crqService.onlyRequest().authorization()).isEqualTo(basic("alice", "typed-pw"));
        assertThat(result.out()).doesNotContain("typed-pw");
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironmentVariable() {
        crqService.on("GET", "/crqs", 200, "[]");

        CliRunner.Result result =
                cli.env("GITCRQ_CRQ_URL", "http://127.0.0.1:9").run("crq", "list", "--user", "a");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.requests()).hasSize(1);
    }

    @Test
    void theEnvironmentVariableIsUsedWithoutSystemProperty() {
        crqService.on("GET", "/crqs", 200, "[]");

        CliRunner.Result result = cli.property("gitcrq.crq-url", null)
                .env("GITCRQ_CRQ_URL", crqService.url() + "/")
                .run("crq", "list", "--user", "a");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().path()).isEqualTo("/crqs");
    }

    @Test
    void defaultsAreTheLocalPlatformPorts() {
        CliEnvironment bare =
                new CliEnvironment(null, null, java.util.Map.of(), name -> null, p -> Optional.empty(), null, null);

        assertThat(Service.CRQ.baseUrl(bare)).isEqualTo("http://127.0.0.1:8081");
        assertThat(Service.GIT_WATCHER.baseUrl(bare)).isEqualTo("http://127.0.0.1:8082");
        assertThat(Service.MERGE_BOT.baseUrl(bare)).isEqualTo("http://127.0.0.1:8083");
        assertThat(Service.AUDIT.baseUrl(bare)).isEqualTo("http://127.0.0.1:8084");
        assertThat(Service.EXEC_AGENT.baseUrl(bare)).isEqualTo("http://127.0.0.1:8085");
        assertThat(CliEnvironment.system().pollInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRunner.Result result = cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("crq", "branch", "repo", "exec", "audit", "merges", "--user", "--json");
    }

    @Test
    void unknownCommandsAndMissingSubcommandsAreUsageErrors() {
        assertThat(cli.run("frobnicate").exitCode()).isEqualTo(2);
        CliRunner.Result result = cli.run("crq");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required subcommand", "create", "show", "list");
        assertThat(cli.run("crq", "create", "--repo", "x", "--user", "a").exitCode())
                .isEqualTo(2);
        assertThat(crqService.requests()).isEmpty();
    }
}
