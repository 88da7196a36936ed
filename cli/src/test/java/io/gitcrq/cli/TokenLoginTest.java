package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.crq;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens: --token, GITCRQ_TOKEN, and the one gitcrq login stores; sent, never shown. */
class TokenLoginTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYXJvbCJ9.c2lnbmF0dXJl";

    @TempDir
    Path config;

    private FakeService crqService;
    private CliRunner cli;

    @BeforeEach
    void start() {
        crqService = FakeService.start();
        crqService.on("GET", "/crqs/CRQ-1", 200, crq("CRQ-1", "DRAFT", "demo", "main"));
        cli = new CliRunner().service(Service.CRQ, crqService).env("XDG_CONFIG_HOME", config.toString());
    }

    @AfterEach
    void stop() {
        crqService.close();
    }

    @Test
    void aTokenOptionIsSentAsBearerAndNeverShown() {
        CliRunner.Result result = cli.run("--token", TOKEN, "crq", "show", "CRQ-1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(result.out() + result.err()).doesNotContain(TOKEN);
    }

    @Test
    void theTokenVariableIsSentUnlessAUserIsNamedOnTheCommandLine() {
        cli.env("GITCRQ_TOKEN", TOKEN).env("GITCRQ_USER", "alice");
        assertThat(cli.run("crq", "show", "CRQ-1").exitCode()).isZero();
        assertThat(cli.run("crq", "show", "CRQ-1", "--user", "bob").exitCode()).isZero();

        assertThat(crqService.requests())
                .extracting(FakeService.Request::authorization)
                .containsExactly("Bearer " + TOKEN, basic("bob", "s3cret-pw"));
    }

    @Test
    void loginStoresTheTokenForItsOwnerOnlyAndLaterCommandsSendIt() throws IOException {
        CliRunner.Result login = cli.stdin("\n  " + TOKEN + "  \n").run("login");

        assertThat(login.exitCode()).as(login.err()).isZero();
        Path file = config.resolve("gitcrq/token");
        assertThat(login.out()).contains("token stored in " + file).doesNotContain(TOKEN);
        assertThat(Files.readString(file).strip()).isEqualTo(TOKEN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");

        assertThat(cli.run("crq", "show", "CRQ-1").exitCode()).isZero();
        assertThat(cli.run("crq", "show", "CRQ-1", "--user", "alice").exitCode())
                .isZero();
        assertThat(cli.run("crq", "show", "CRQ-1", "--token", "other.token.here")
                        .exitCode())
                .isZero();
        assertThat(crqService.requests())
                .extracting(FakeService.Request::authorization)
                .containsExactly("Bearer " + TOKEN, basic("alice", "s3cret-pw"), "Bearer other.token.here");

        CliRunner.Result logout = cli.run("logout");
        assertThat(logout.exitCode()).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void loginWithTheTokenOptionReplacesTheStoredOne() throws IOException {
        assertThat(cli.run("login", "--token", "first.token.x").exitCode()).isZero();
        assertThat(cli.run("login", "--token", TOKEN).exitCode()).isZero();

        assertThat(Files.readString(config.resolve("gitcrq/token")).strip()).isEqualTo(TOKEN);
        try (var leftovers = Files.list(config.resolve("gitcrq"))) {
            assertThat(leftovers).extracting(p -> p.getFileName().toString()).containsExactly("token");
        }
    }

    @Test
    void withoutXdgConfigHomeTheTokenGoesUnderHomeDotConfig(@TempDir Path home) {
        CliRunner.Result result = cli.env("XDG_CONFIG_HOME", null)
                .env("HOME", home.toString())
                .stdin(TOKEN + "\n")
                .run("login");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(home.resolve(".config/gitcrq/token")).exists();
        assertThat(config.resolve("gitcrq/token")).doesNotExist();
    }

    @Test
    void loginWithoutATokenIsAUsageErrorAndStoresNothing() {
        CliRunner.Result empty = cli.stdin("\n").run("login");
        CliRunner.Result twoWords = cli.stdin("two words\n").run("login");

        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).isEqualTo("error: no token: pass --token TOKEN or give it on standard input\n");
        assertThat(twoWords.exitCode()).isEqualTo(2);
        assertThat(config.resolve("gitcrq/token")).doesNotExist();
    }

    @Test
    void aRefusedTokenSaysWhereItCameFromAndNotWhatItIs() {
        crqService.on("GET", "/crqs/CRQ-2", 401, "");

        CliRunner.Result result = cli.env("GITCRQ_TOKEN", TOKEN).run("crq", "show", "CRQ-2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("error: authentication failed with the token from GITCRQ_TOKEN at crq-service")
                .contains("gitcrq login")
                .doesNotContain(TOKEN);
    }

    @Test
    void withNoCredentialsAtAllTheCliSaysHowToLogIn() {
        CliRunner.Result result = cli.run("crq", "show", "CRQ-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: no credentials: run gitcrq login");
        assertThat(crqService.requests()).isEmpty();
    }
}
