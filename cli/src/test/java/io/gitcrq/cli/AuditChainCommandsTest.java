package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.audit.AuditPage;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.api.audit.TimelineEntry;
import io.gitcrq.model.api.audit.TimelinePage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code gitcrq audit verify | timeline | export} against a stand-in audit-collector. */
class AuditChainCommandsTest {

    private static final String HASH_A = "3fc1259659b3e667207c2f3efcde430b98a117950e44c62dfeee458e60b743a3";
    private static final String HASH_B = "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";

    private final ObjectMapper json = new ObjectMapper();
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
    void verifyOneHostSaysHowManyLinksHeldAndWhereTheChainEnds() {
        audit.on("GET", "/audit/verify", 200, answer(ChainVerification.intact("build-01", 20, 23, HASH_A, 3L, HASH_B)));

        CliRunner.Result result = cli.run("audit", "verify", "--host", "build-01", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query()).isEqualTo("host=build-01");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "ok: host build-01, 20 events verified, after the retention checkpoint at sequence 3, last sequence 23",
                        "last hash " + HASH_A);
    }

    @Test
    void verifyEveryHostListsEachChain() {
        audit.on(
                "GET",
                "/audit/verify",
                200,
                answer(ChainVerification.allIntact(List.of(
                        ChainVerification.intact("build-01", 20, 20, HASH_A, null, null),
                        ChainVerification.intact("laptop", 1, 4, HASH_B, 3L, HASH_A)))));

        CliRunner.Result result = cli.run("audit", "verify", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query()).isNull();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "HOST      VERIFIED  LAST_SEQUENCE  CHECKPOINT  LAST_HASH",
                        "build-01  20        20             -           " + HASH_A,
                        "laptop    1         4              3           " + HASH_B,
                        "ok: 2 chains, 21 events verified");
    }

    @Test
    void aBrokenChainNamesTheFirstBrokenLinkAndExitsNonZero() throws Exception {
        String broken = answer(ChainVerification.broken(
                "build-01",
                2,
                3L,
                "ev-3",
                HASH_A,
                HASH_B,
                ChainVerification.ROW_CHANGED,
                "the stored row no longer hashes to its stored hash: it was changed after it was appended"));
        audit.on("GET", "/audit/verify", 200, broken);

        CliRunner.Result result = cli.run("audit", "verify", "--host", "build-01", "--user", "auditor");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "BROKEN: host build-01, sequence 3, event ev-3: row changed",
                        "  the stored row no longer hashes to its stored hash: it was changed after it was appended",
                        "  expected hash  " + HASH_A,
                        "  stored hash    " + HASH_B,
                        "  2 events of the host verified before it");

        CliRunner.Result asJson = cli.run("audit", "verify", "--host", "build-01", "--user", "auditor", "--json");
        assertThat(asJson.exitCode()).isEqualTo(1);
        assertThat(json.readTree(asJson.out())).isEqualTo(json.readTree(broken));
    }

    @Test
    void aMissingRowHasNoEventId() {
        audit.on(
                "GET",
                "/audit/verify",
                200,
                answer(ChainVerification.broken(
                        "laptop",
                        1,
                        2L,
                        null,
                        HASH_A,
                        null,
                        ChainVerification.ROW_MISSING,
                        "sequence 2 is gone: sequence 3 (event ev-3) follows sequence 1")));

        CliRunner.Result result = cli.run("audit", "verify", "--user", "auditor");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "BROKEN: host laptop, sequence 2: row missing",
                        "  sequence 2 is gone: sequence 3 (event ev-3) follows sequence 1",
                        "  expected hash  " + HASH_A,
                        "  stored hash    -",
                        "  1 event of the host verified before it");
    }

    @Test
    void timelineShowsEachEntryOnOneLineOldestFirst() throws Exception {
        String page = answer(new TimelinePage(
                "CRQ-3",
                List.of(
                        new TimelineEntry(
                                Instant.parse("2025-03-01T08:00:00Z"),
                                "crq",
                                "CrqCreated",
                                "created by alice: Fix login (webapp → main)",
                                "e-1"),
                        new TimelineEntry(
                                Instant.parse("2025-03-01T08:05:00.123456Z"),
                                "git",
                                "CommitPushed",
                                "commit 1a2b3c4 pushed to webapp:feature/CRQ-3-x by Alice: Fix login",
                                "e-2"),
                        new TimelineEntry(
                                Instant.parse("2025-03-01T09:00:00Z"),
                                "audit",
                                "AuditCaptured",
                                "exec on build-01: mvn -q test (exit 1)",
                                "e-3")),
                0,
                500,
                3));
        audit.on("GET", "/audit/timeline", 200, page);

        CliRunner.Result result = cli.run("audit", "timeline", "crq-3", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query()).isEqualTo("crq=CRQ-3");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "TIME                  SOURCE  TYPE           EVENT  SUMMARY",
                        "2025-03-01T08:00:00Z  crq     CrqCreated     e-1    created by alice: Fix login (webapp → main)",
                        "2025-03-01T08:05:00Z  git     CommitPushed   e-2    commit 1a2b3c4 pushed to webapp:feature/CRQ-3-x by Alice: Fix login",
                        "2025-03-01T09:00:00Z  audit   AuditCaptured  e-3    exec on build-01: mvn -q test (exit 1)");

        CliRunner.Result asJson =
                cli.run("audit", "timeline", "CRQ-3", "--page", "0", "--size", "3", "--json", "--user", "auditor");
        assertThat(asJson.exitCode()).isZero();
        assertThat(audit.requests().get(1).query()).isEqualTo("crq=CRQ-3&page=0&size=3");
        assertThat(json.readTree(asJson.out())).isEqualTo(json.readTree(page));
    }

    @Test
    void timelineSaysWhenThereIsMoreAndRefusesWhatIsNoCrq() {
        audit.on(
                "GET",
                "/audit/timeline",
                200,
                answer(new TimelinePage(
                        "CRQ-3",
                        List.of(new TimelineEntry(
                                Instant.parse("2025-03-01T08:00:00Z"), "crq", "CrqCreated", "created", "e-1")),
                        0,
                        1,
                        7)));
        CliRunner.Result paged = cli.run("audit", "timeline", "CRQ-3", "--size", "1", "--user", "auditor");
        assertThat(paged.out()).endsWith("page 0, size 1, total 7\n");

        CliRunner.Result notACrq = cli.run("audit", "timeline", "12", "--user", "auditor");
        assertThat(notACrq.exitCode()).isEqualTo(2);
        assertThat(notACrq.err()).contains("not a CRQ id");
        assertThat(audit.requests()).hasSize(1);
    }

    @Test
    void timelineOfAnUnknownCrqIsTheServicesProblem() {
        audit.on("GET", "/audit/timeline", 404, FakeService.problem(404, "Not Found", "nothing is recorded for CRQ-9"));

        CliRunner.Result result = cli.run("audit", "timeline", "CRQ-9", "--user", "auditor");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: 404 Not Found: nothing is recorded for CRQ-9\n");
    }

    @Test
    void exportWritesTheJsonLinesAsTheyCome() {
        String line1 = "{\"crqId\":\"CRQ-3\",\"eventId\":\"ev-1\",\"hash\":\"" + HASH_A + "\",\"host\":\"build-01\","
                + "\"kind\":\"exec\",\"occurredAt\":\"2025-03-01T09:00:00Z\",\"payload\":{\"command\":\"caf\\u00e9\"},"
                + "\"prevHash\":\"" + "0".repeat(64) + "\",\"receivedAt\":\"2025-03-01T09:00:01Z\",\"sequence\":1,"
                + "\"source\":\"exec-agent/build-01\"}";
        String line2 = line1.replace("ev-1", "ev-2").replace("\"sequence\":1", "\"sequence\":2");
        audit.on("GET", "/audit/export", 200, line1 + "\n" + line2 + "\n");

        CliRunner.Result result = cli.run(
                "audit",
                "export",
                "--crq",
                "crq-3",
                "--host",
                "build-01",
                "--from",
                "2025-03-01T00:00:00Z",
                "--to",
                "2025-03-02T00:00:00Z",
                "--user",
                "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(audit.onlyRequest().query())
                .isEqualTo("crq=CRQ-3&host=build-01&from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z");
        assertThat(result.out()).isEqualTo(line1 + "\n" + line2 + "\n");
        assertThat(result.err()).isEqualTo("exported 2 audit events\n");
    }

    @Test
    void exportNeedsACrqOrAHostAndReportsTheServicesRefusal() {
        CliRunner.Result nothing = cli.run("audit", "export", "--user", "auditor");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).isEqualTo("error: export needs --crq CRQ-n, --host HOST or --repo REPO\n");
        assertThat(audit.requests()).isEmpty();

        audit.on(
                "GET",
                "/audit/export",
                400,
                FakeService.problem(
                        400, "Bad Request", "from is not an ISO-8601 instant (e.g. 2024-05-01T12:00:00Z): yesterday"));
        CliRunner.Result refused =
                cli.run("audit", "export", "--host", "h", "--from", "yesterday", "--user", "auditor");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err())
                .isEqualTo(
                        "error: 400 Bad Request: from is not an ISO-8601 instant (e.g. 2024-05-01T12:00:00Z): yesterday\n");
    }

    @Test
    void theAuditListStillWorksBesideItsSubcommands() {
        audit.on("GET", "/audit", 200, answer(new AuditPage(List.of(), 0, 50, 0)));

        CliRunner.Result result = cli.run("audit", "--crq", "CRQ-3", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("no audit records\npage 0, size 50, total 0\n");
    }
}
