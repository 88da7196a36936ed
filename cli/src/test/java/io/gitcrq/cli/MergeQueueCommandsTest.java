package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.crq.CrqView;
import io.gitcrq.model.api.merge.CheckRequest;
import io.gitcrq.model.api.merge.CheckView;
import io.gitcrq.model.api.merge.MergeSettingsRequest;
import io.gitcrq.model.api.merge.MergeSettingsView;
import io.gitcrq.model.api.merge.StaleBranch;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** merge-settings, check and branch stale: what they send to merge-bot and what they print. */
class MergeQueueCommandsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private FakeService mergeBot;
    private FakeService crqService;
    private CliRunner cli;

    @BeforeEach
    void start() {
        mergeBot = FakeService.start();
        crqService = FakeService.start();
        cli = new CliRunner().service(Service.MERGE_BOT, mergeBot).service(Service.CRQ, crqService);
    }

    @AfterEach
    void stop() {
        mergeBot.close();
        crqService.close();
    }

    @Test
    void mergeSettingsSetReplacesTheSettingsAndShowsThem() {
        mergeBot.on(
                "PUT",
                "/repos/webapp/merge-settings",
                200,
                Fixtures.answer(new MergeSettingsView(
                        "webapp",
                        "squash",
                        List.of("build", "lint"),
                        true,
                        "bob",
                        Instant.parse("2026-11-26T10:00:00Z"))));

        CliRunner.Result result = cli.run(
                "merge-settings",
                "set",
                "webapp",
                "--strategy",
                "squash",
                "--require",
                "build",
                "--require",
                "lint",
                "--delete-merged-branch",
                "--user",
                "bob");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Fixtures.sent(mergeBot.onlyRequest(), MergeSettingsRequest.class))
                .isEqualTo(new MergeSettingsRequest("squash", List.of("build", "lint"), true));
        assertThat(result.out())
                .contains("strategy:              squash")
                .contains("required checks:       build, lint")
                .contains("delete merged branch:  true")
                .contains("set by:                bob at 2026-11-26T10:00:00Z");
    }

    @Test
    void aRefusedSettingShowsMergeBotsReasonAndFails() {
        mergeBot.on(
                "PUT",
                "/repos/webapp/merge-settings",
                400,
                FakeService.problem(
                        400, "Bad Request", "strategy must be one of merge, ff-only, squash, rebase, not 'octopus'"));

        CliRunner.Result result = cli.run("merge-settings", "set", "webapp", "--strategy", "octopus", "--user", "bob");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("strategy must be one of merge, ff-only, squash, rebase, not 'octopus'");
    }

    @Test
    void checkReportSendsTheReportAndCheckListShowsTheChecks() {
        CheckView build = new CheckView(
                "webapp", SHA, "build", "FAILURE", "https://ci/1", "ci", Instant.parse("2026-11-26T10:00:00Z"));
        mergeBot.on("POST", "/checks", 202, Fixtures.answer(build));

        CliRunner.Result report = cli.run(
                "check",
                "report",
                "--repo",
                "webapp",
                "--commit",
                SHA,
                "--name",
                "build",
                "--status",
                "FAILURE",
                "--url",
                "https://ci/1",
                "--user",
                "ci");

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Fixtures.sent(mergeBot.onlyRequest(), CheckRequest.class))
                .isEqualTo(new CheckRequest("webapp", SHA, "build", "FAILURE", "https://ci/1"));
        assertThat(report.out()).isEqualTo("reported build FAILURE on " + SHA + "\n");

        mergeBot.on("GET", "/checks", 200, Fixtures.answer(List.of(build)));
        CliRunner.Result list = cli.run("check", "list", "--repo", "webapp", "--commit", SHA, "--user", "alice");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(mergeBot.requests().get(1).query()).isEqualTo("repo=webapp&commit=" + SHA);
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "AT                    NAME   STATUS   REPORTED_BY  URL           REPO    COMMIT_ID",
                        "2026-11-26T10:00:00Z  build  FAILURE  ci           https://ci/1  webapp  " + SHA);
    }

    @Test
    void staleBranchesAreListedWithTheirReasons() {
        mergeBot.on(
                "GET",
                "/repos/webapp/stale-branches",
                200,
                Fixtures.answer(List.of(new StaleBranch(
                        "feature/CRQ-4-old",
                        SHA,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "CRQ-4",
                        "CLOSED",
                        List.of("CRQ-4 is CLOSED", "no commit for 329 days")))));

        CliRunner.Result result = cli.run("branch", "stale", "webapp", "--days", "14", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(mergeBot.onlyRequest().query()).isEqualTo("days=14");
        assertThat(result.out())
                .contains("feature/CRQ-4-old")
                .contains("CLOSED")
                .contains("CRQ-4 is CLOSED; no commit for 329 days");
    }

    @Test
    void crqShowSaysWhyAnApprovedCrqWaits() {
        crqService.on(
                "GET",
                "/crqs/CRQ-5",
                200,
                Fixtures.answer(new CrqView(
                        "CRQ-5",
                        "Faster login",
                        "",
                        "alice",
                        "bob",
                        "0123456789abcdef0123456789abcdef01234567",
                        "webapp",
                        "main",
                        "APPROVED",
                        "WAITING",
                        "waiting for required check build on 0123456789ab",
                        null,
                        null,
                        null,
                        Instant.parse("2026-11-26T09:00:00Z"),
                        Instant.parse("2026-11-26T10:00:00Z"),
                        new CrqView.Links(List.of(), List.of()),
                        List.of())));

        CliRunner.Result result = cli.run("crq", "show", "CRQ-5", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("merge:     WAITING")
                .contains("waiting:   waiting for required check build on 0123456789ab");
    }
}
