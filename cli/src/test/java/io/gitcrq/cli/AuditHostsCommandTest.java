package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.audit.HostKeyView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitcrq audit hosts register | list | revoke} against a stand-in audit-collector. */
class AuditHostsCommandTest {

    private static final String PEM =
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA+V9FwmueebhkKQ4FYHXChzqOk5osqQyNgkBZXmFbnAo=\n-----END PUBLIC KEY-----\n";
    private static final String FP = "SHA256:UTGFy27AmWn+dysvIFaiZC8A8KmD+UcuN1oBHgIdBTA";
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    private FakeService audit;
    private CliRunner cli;

    @BeforeEach
    void start() {
        audit = FakeService.start();
        cli = new CliRunner().service(Service.AUDIT, audit);
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    @Test
    void registerSendsTheHostAndThePemOfTheKeyFile(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("host.pub");
        Files.writeString(key, PEM);
        audit.on(
                "POST",
                "/audit/hosts",
                201,
                answer(new HostKeyView("build-01", FP, PEM, "admin", AT, null, null, null)));

        CliRunner.Result result = cli.run(
                "audit", "hosts", "register", "--host", "build-01", "--key-file", key.toString(), "--user", "admin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().json().get("host").asText()).isEqualTo("build-01");
        assertThat(audit.onlyRequest().json().get("publicKey").asText()).isEqualTo(PEM);
        assertThat(result.out()).isEqualTo("registered key " + FP + " for host build-01\n");
    }

    @Test
    void registerWithoutAReadableKeyFileIsAUsageError(@TempDir Path dir) {
        CliRunner.Result result = cli.run(
                "audit",
                "hosts",
                "register",
                "--host",
                "h",
                "--key-file",
                dir.resolve("none.pub").toString(),
                "--user",
                "admin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cannot read the key file");
        assertThat(audit.requests()).isEmpty();
    }

    @Test
    void listShowsKeysRevocationsAndHeldEvents() {
        audit.on(
                "GET",
                "/audit/hosts",
                200,
                answer(List.of(
                        new HostKeyView("build-01", FP, PEM, "admin", AT, "admin", AT.plusSeconds(60), null),
                        new HostKeyView("laptop", null, null, null, null, null, null, 4L))));

        CliRunner.Result result = cli.run("audit", "hosts", "list", "--user", "admin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "HOST      FINGERPRINT                                         REGISTERED                  REVOKED                     HELD",
                        "build-01  " + FP + "  admin 2026-12-02T10:00:00Z  admin 2026-12-02T10:01:00Z  -",
                        "laptop    -                                                   -                           -                           4");
    }

    @Test
    void revokeNamesTheFingerprintInThePath() {
        String path = "/audit/hosts/build-01/keys/" + FP;
        audit.on("DELETE", path, 200, answer(new HostKeyView("build-01", FP, PEM, "admin", AT, "root", AT, null)));

        CliRunner.Result result =
                cli.run("audit", "hosts", "revoke", "--host", "build-01", "--fingerprint", FP, "--user", "admin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().path()).isEqualTo(path);
        assertThat(result.out()).isEqualTo("revoked key " + FP + " of host build-01 (by root)\n");
    }
}
