package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.audit.AuditEventView;
import io.gitcrq.model.api.audit.AuditPage;
import io.gitcrq.model.api.merge.MergeAttemptView;
import io.gitcrq.model.event.EventCodec;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditAndMergesCommandTest {

    private static final String AUDIT_PAGE = answer(new AuditPage(
            List.of(
                    new AuditEventView(
                            "ev-1",
                            "build-01",
                            "CRQ-3",
                            "exec",
                            Instant.parse("2025-03-01T09:00:00.250Z"),
                            payload("{\"command\":\"mvn -q test\",\"exitCode\":1,\"session\":\"dev\"}"),
                            2L,
                            "0".repeat(64),
                            "1".repeat(64)),
                    new AuditEventView(
                            "ev-2",
                            "laptop",
                            "CRQ-3",
                            "crq-status",
                            Instant.parse("2025-03-01T08:00:00Z"),
                            payload("{\"from\":\"DRAFT\",\"to\":\"SUBMITTED\"}"),
                            1L,
                            "0".repeat(64),
                            "2".repeat(64))),
            0,
            20,
            2));

    private final ObjectMapper json = new ObjectMapper();
    private FakeService audit;
    private FakeService mergeBot;
    private CliRunner cli;

    private static JsonNode payload(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void start() {
        audit = FakeService.start();
        mergeBot = FakeService.start();
        cli = new CliRunner().service(Service.AUDIT, audit).service(Service.MERGE_BOT, mergeBot);
    }

    @AfterEach
    void stop() {
        audit.close();
        mergeBot.close();
    }

    @Test
    void auditSendsFiltersAndShowsExecCommandsWithExitCodes() {
        audit.on("GET", "/audit", 200, AUDIT_PAGE);

        CliRunner.Result result = cli.run(
                "audit",
                "--crq",
                "CRQ-3",
                "--host",
                "build-01",
                "--kind",
                "exec",
                "--page",
                "0",
                "--size",
                "20",
                "--user",
                "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query()).isEqualTo("crq=CRQ-3&host=build-01&kind=exec&page=0&size=20");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "TIME                  HOST      CRQ    KIND        DETAIL",
                        "2025-03-01T09:00:00Z  build-01  CRQ-3  exec        mvn -q test  exit 1",
                        "2025-03-01T08:00:00Z  laptop    CRQ-3  crq-status  -",
                        "page 0, size 20, total 2");
    }

    @Test
    void aRepositorysGovernanceRecordsSayWhoChangedWhichRuleFromWhat() {
        audit.on(
                "GET",
                "/audit",
                200,
                answer(new AuditPage(
                        List.of(new AuditEventView(
                                "ev-9",
                                "gitcrq/merge-bot",
                                null,
                                "governance",
                                Instant.parse("2025-03-02T10:00:00Z"),
                                payload(
                                        "{\"service\":\"merge-bot\",\"rule\":\"merge-settings\",\"repo\":\"demo\","
                                                + "\"crqId\":null,\"changedBy\":\"bob\",\"before\":{\"strategy\":\"merge\"},"
                                                + "\"after\":{\"strategy\":\"squash\"},\"eventType\":\"io.gitcrq.MergeSettingsChanged.v1\"}"),
                                4L,
                                "0".repeat(64),
                                "3".repeat(64))),
                        0,
                        50,
                        1)));

        CliRunner.Result result = cli.run("audit", "--repo", "demo", "--kind", "governance", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query()).isEqualTo("kind=governance&repo=demo");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "TIME                  HOST              CRQ  KIND        DETAIL",
                        "2025-03-02T10:00:00Z  gitcrq/merge-bot  -    governance  bob changed merge-settings of demo:"
                                + " {\"strategy\":\"merge\"} -> {\"strategy\":\"squash\"}",
                        "page 0, size 50, total 1");
    }

    @Test
    void auditJsonIsTheRawPage() throws Exception {
        audit.on("GET", "/audit", 200, AUDIT_PAGE);

        CliRunner.Result result = cli.run("audit", "--user", "auditor", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(audit.onlyRequest().query()).isNull();
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree(AUDIT_PAGE));
    }

    @Test
    void mergesListsWhatMergeBotDid() {
        mergeBot.on(
                "GET",
                "/merges",
                200,
                Fixtures.answer(List.of(
                        new MergeAttemptView(
                                "CRQ-3",
                                "webapp",
                                "feature/CRQ-3-x",
                                "main",
                                "BLOCKED",
                                "checks failed",
                                null,
                                Instant.parse("2026-11-26T09:00:00Z")),
                        new MergeAttemptView(
                                "CRQ-3",
                                "webapp",
                                "feature/CRQ-3-x",
                                "main",
                                "MERGED",
                                null,
                                "abc123",
                                Instant.parse("2026-11-26T10:00:00.123456Z")))));

        CliRunner.Result result = cli.run("merges", "--crq", "CRQ-3", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(mergeBot.onlyRequest().query()).isEqualTo("crq=CRQ-3");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "AT                    CRQ_ID  REPO    BRANCH           TARGET_BRANCH  OUTCOME  MERGE_COMMIT  REASON",
                        "2026-11-26T09:00:00Z  CRQ-3   webapp  feature/CRQ-3-x  main           BLOCKED  -             checks failed",
                        "2026-11-26T10:00:00Z  CRQ-3   webapp  feature/CRQ-3-x  main           MERGED   abc123        -");
    }

    @Test
    void noMerges() {
        mergeBot.on("GET", "/merges", 200, "[]");

        CliRunner.Result result = cli.run("merges", "--user", "alice");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("no merges\n");
    }
}
