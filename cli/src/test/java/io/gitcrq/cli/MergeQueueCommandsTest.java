package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
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
        mergeBot.on("PUT", "/repos/webapp/merge-settings", 200, """
                {"repo":"webapp","strategy":"squash","requiredChecks":["build","lint"],"deleteMergedBranch":true,
                 "updatedBy":"bob","updatedAt":"2026-11-26T10:00:00Z"}""");

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
        FakeService.Request sent = mergeBot.onlyRequest();
        assertThat(sent.json().path("strategy").asText()).isEqualTo("squash");
        assertThat(sent.json().path("requiredChecks").toString()).isEqualTo("[\"build\",\"lint\"]");
        assertThat(sent.json().path("deleteMergedBranch").asBoolean()).isTrue();
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
        mergeBot.on("POST", "/checks", 202, """
                {"repo":"webapp","commitId":"%s","name":"build","status":"FAILURE","url":"https://ci/1",
                 "reportedBy":"ci","at":"2026-11-26T10:00:00Z"}""".formatted(SHA));

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
        assertThat(mergeBot.onlyRequest().json().path("commitId").asText()).isEqualTo(SHA);
        assertThat(mergeBot.onlyRequest().json().path("status").asText()).isEqualTo("FAILURE");
        assertThat(report.out()).isEqualTo("reported build FAILURE on " + SHA + "\n");

        mergeBot.on("GET", "/checks", 200, """
                [{"repo":"webapp","commitId":"%s","name":"build","status":"FAILURE","url":"https://ci/1",
                  "reportedBy":"ci","at":"2026-11-26T10:00:00Z"}]""".formatted(SHA));
        CliRunner.Result list = cli.run("check", "list", "--repo", "webapp", "--commit", SHA, "--user", "alice");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(mergeBot.requests().get(1).query()).isEqualTo("repo=webapp&commit=" + SHA);
        assertThat(list.out()).contains("build").contains("FAILURE").contains("https://ci/1");
    }

    @Test
    void staleBranchesAreListedWithTheirReasons() {
        mergeBot.on("GET", "/repos/webapp/stale-branches", 200, """
                [{"branch":"feature/CRQ-4-old","head":"%s","lastCommitAt":"2026-01-01T00:00:00Z","crqId":"CRQ-4",
                  "crqStatus":"CLOSED","reasons":["CRQ-4 is CLOSED","no commit for 329 days"]}]""".formatted(SHA));

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
        crqService.on("GET", "/crqs/CRQ-5", 200, """
                {"id":"CRQ-5","title":"Faster login","status":"APPROVED","requester":"alice","approver":"bob",
                 "repo":"webapp","targetBranch":"main","mergeState":"WAITING",
                 "waitingReason":"waiting for required check build on 0123456789ab","links":{"branches":[],"commits":[]},
                 "history":[]}""");

        CliRunner.Result result = cli.run("crq", "show", "CRQ-5", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("merge:     WAITING")
                .contains("waiting:   waiting for required check build on 0123456789ab");
    }
}
