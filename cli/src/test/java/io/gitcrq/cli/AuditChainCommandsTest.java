package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
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
        audit.on("GET", "/audit/verify", 200, """
                {"ok":true,"host":"build-01","verified":20,"lastSequence":23,"lastHash":"%s",
                 "checkpointSequence":3,"checkpointHash":"%s"}""".formatted(HASH_A, HASH_B));

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
        audit.on("GET", "/audit/verify", 200, """
                {"ok":true,"verified":21,"hosts":[
                  {"ok":true,"host":"build-01","verified":20,"lastSequence":20,"lastHash":"%s"},
                  {"ok":true,"host":"laptop","verified":1,"lastSequence":4,"lastHash":"%s","checkpointSequence":3}]}""".formatted(HASH_A, HASH_B));

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
        String broken = """
                {"ok":false,"host":"build-01","verified":2,"sequence":3,"eventId":"ev-3","expectedHash":"%s",
                 "storedHash":"%s","reason":"row changed",
                 "detail":"the stored row no longer hashes to its stored hash: it was changed after it was appended"}""".formatted(HASH_A, HASH_B);
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
        audit.on("GET", "/audit/verify", 200, """
                {"ok":false,"host":"laptop","verified":1,"sequence":2,"expectedHash":"%s","reason":"row missing",
                 "detail":"sequence 2 is gone: sequence 3 (event ev-3) follows sequence 1"}""".formatted(HASH_A));

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
        String page = """
                {"crqId":"CRQ-3","entries":[
                  {"at":"2025-03-01T08:00:00Z","source":"crq","type":"CrqCreated","summary":"created by alice: Fix login (webapp → main)","eventId":"e-1"},
                  {"at":"2025-03-01T08:05:00.123456Z","source":"git","type":"CommitPushed","summary":"commit 1a2b3c4 pushed to webapp:feature/CRQ-3-x by Alice: Fix login","eventId":"e-2"},
                  {"at":"2025-03-01T09:00:00Z","source":"audit","type":"AuditCaptured","summary":"exec on build-01: mvn -q test (exit 1)","eventId":"e-3"}],
                 "page":0,"size":500,"total":3}""";
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
        audit.on("GET", "/audit/timeline", 200, """
                {"crqId":"CRQ-3","entries":[{"at":"2025-03-01T08:00:00Z","source":"crq","type":"CrqCreated",
                 "summary":"created","eventId":"e-1"}],"page":0,"size":1,"total":7}""");
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
        assertThat(nothing.err()).isEqualTo("error: export needs --crq CRQ-n or --host HOST (or both)\n");
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
        audit.on("GET", "/audit", 200, "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}");

        CliRunner.Result result = cli.run("audit", "--crq", "CRQ-3", "--user", "auditor");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("no audit records\npage 0, size 50, total 0\n");
    }
}
