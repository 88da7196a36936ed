package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.crq;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrqCommandTest {

    private final ObjectMapper json = new ObjectMapper();
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
    void createPostsTheCrqWithBasicAuthAndPrintsItsId() throws Exception {
        crqService.on("POST", "/crqs", 201, crq("CRQ-1", "DRAFT", "webapp", "develop"));

        CliRunner.Result result = cli.run(
                "crq",
                "create",
                "--title",
                "Fix login timeout",
                "--description",
                "Sessions expire too early",
                "--repo",
                "webapp",
                "--target",
                "develop",
                "--user",
                "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("created CRQ-1 (DRAFT): Fix login timeout\n");
        FakeService.Request request = crqService.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/crqs");
        assertThat(request.authorization()).isEqualTo(basic("alice", "s3cret-pw"));
        assertThat(request.contentType()).startsWith("application/json");
        assertThat(request.json()).isEqualTo(json.readTree("""
                {"title":"Fix login timeout","description":"Sessions expire too early",
                 "repo":"webapp","targetBranch":"develop"}"""));
    }

    @Test
    void createTargetsMainByDefault() {
        crqService.on("POST", "/crqs", 201, crq("CRQ-2", "DRAFT", "webapp", "main"));

        CliRunner.Result result = cli.run("--user", "alice", "crq", "create", "--title", "T", "--repo", "webapp");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().json().get("targetBranch").asText()).isEqualTo("main");
    }

    @Test
    void userComesFromTheEnvironmentWhenNotGiven() {
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);

        CliRunner.Result result = cli.env("GITCRQ_USER", "carol").run("crq", "show", "crq-7");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().authorization()).isEqualTo(basic("carol", "s3cret-pw"));
    }

    @Test
    void showPrintsFieldsLinksHistoryAndBlockedReason() {
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);

        CliRunner.Result result = cli.run("crq", "show", "CRQ-7", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().path()).isEqualTo("/crqs/CRQ-7");
        assertThat(result.out())
                .startsWith("CRQ-7  Fix login timeout\n")
                .contains(
                        "  status:    APPROVED\n",
                        "  requester: alice\n",
                        "  approver:  bob\n",
                        "  approved:  0123456789abcdef0123456789abcdef01234567 (the commit merge-bot merges)\n",
                        "  repo:      webapp\n",
                        "  target:    main\n",
                        "  blocked:   checks failed on feature/CRQ-7-login-timeout\n")
                .contains("branches:\n  webapp  feature/CRQ-7-login-timeout  head 01234567\n")
                .contains("commits:\n  01234567  CRQ-7: raise session timeout  (webapp feature/CRQ-7-login-timeout)\n")
                .contains("  2025-03-01T10:00:00Z  DRAFT → SUBMITTED  by alice  reason: ready\n")
                .contains("  2025-03-01T11:00:00Z  SUBMITTED → APPROVED  by bob  reason: looks good\n")
                .doesNotContain("Body text here");
        // Fields appear in the documented order.
        assertThat(result.out().indexOf("status:")).isLessThan(result.out().indexOf("requester:"));
        assertThat(result.out().indexOf("target:")).isLessThan(result.out().indexOf("branches:"));
        assertThat(result.out().indexOf("commits:")).isLessThan(result.out().indexOf("history:"));
    }

    @Test
    void textOthersWroteReachesTheTerminalWithoutItsControlCharacters() {
        // A title that would clear the screen, recolour, set the terminal's title and rewrite its own line.
        crqService.on(
                "GET",
                "/crqs/CRQ-7",
                200,
                Fixtures.DETAILED_CRQ.replace(
                        "\"Fix login timeout\"",
                        "\"Fix\\u001b[2J\\u001b[31m login\\u001b]0;owned\\u0007\\rAPPROVED\""));
        crqService.on(
                "GET",
                "/crqs/CRQ-8",
                404,
                "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no CRQ-8\\u001b[1A\\u009b2K\"}");

        CliRunner.Result shown = cli.run("crq", "show", "CRQ-7", "--user", "alice");
        CliRunner.Result refused = cli.run("crq", "show", "CRQ-8", "--user", "alice");

        assertThat(shown.out())
                .startsWith("CRQ-7  Fix?[2J?[31m login?]0;owned??APPROVED\n")
                .doesNotContain("\u001b", "\r", "\u0007");
        assertThat(refused.err()).contains("no CRQ-8?[1A?2K").doesNotContain("\u001b", "\u009b");
        // JSON keeps the text exactly, escaped as JSON does.
        assertThat(cli.run("crq", "show", "CRQ-7", "--user", "alice", "--json").out())
                .contains("\\u001B[2J");
    }

    @Test
    void showWithJsonPrintsTheResponseAsPrettyJson() throws Exception {
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);

        CliRunner.Result result = cli.run("crq", "show", "CRQ-7", "--user", "alice", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree(Fixtures.DETAILED_CRQ));
        assertThat(result.out()).contains("\n  \"id\" : \"CRQ-7\"");
    }

    @Test
    void jsonOptionWorksBeforeTheSubcommandToo() throws Exception {
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);

        CliRunner.Result result = cli.run("--json", "--user", "dave", "crq", "show", "CRQ-7");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(result.out()).get("id").asText()).isEqualTo("CRQ-7");
        assertThat(crqService.onlyRequest().authorization()).isEqualTo(basic("dave", "s3cret-pw"));
    }

    @Test
    void listSendsFiltersAndPrintsATable() {
        crqService.on(
                "GET",
                "/crqs",
                200,
                "[" + crq("CRQ-1", "SUBMITTED", "webapp", "main") + "," + crq("CRQ-2", "DRAFT", "webapp", "main")
                        + "]");

        CliRunner.Result result = cli.run("crq", "list", "--status", "SUBMITTED", "--repo", "webapp", "--user", "a");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(crqService.onlyRequest().query()).isEqualTo("status=SUBMITTED&repo=webapp");
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "ID     STATUS     REPO    TARGET  REQUESTER  TITLE",
                        "CRQ-1  SUBMITTED  webapp  main    alice      Fix login timeout");
    }

    @Test
    void listWithoutFiltersSendsNoQuery() {
        crqService.on("GET", "/crqs", 200, "[]");

        CliRunner.Result result = cli.run("crq", "list", "--user", "a");

        assertThat(result.exitCode()).isZero();
        assertThat(crqService.onlyRequest().query()).isNull();
        assertThat(result.out()).isEqualTo("no CRQs\n");
    }

    @Test
    void submitPostsTheReasonAndPrintsTheTransition() throws Exception {
        crqService.on("POST", "/crqs/CRQ-3/submit", 200, Fixtures.DETAILED_CRQ.replace("CRQ-7", "CRQ-3"));

        CliRunner.Result result = cli.run("crq", "submit", "CRQ-3", "--reason", "ready for review", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        FakeService.Request request = crqService.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/crqs/CRQ-3/submit");
        assertThat(request.json()).isEqualTo(json.readTree("{\"reason\":\"ready for review\"}"));
        assertThat(result.out()).isEqualTo("CRQ-3: SUBMITTED → APPROVED\n");
    }

    @Test
    void everyTransitionPostsToItsOwnPath() {
        for (String action : new String[] {"approve", "reject", "cancel"}) {
            crqService.on("POST", "/crqs/CRQ-4/" + action, 200, crq("CRQ-4", "CANCELLED", "webapp", "main"));
        }

        assertThat(cli.run("crq", "approve", "CRQ-4", "--user", "bob").exitCode())
                .isZero();
        assertThat(cli.run("crq", "reject", "CRQ-4", "--reason", "no", "--user", "bob")
                        .exitCode())
                .isZero();
        assertThat(cli.run("crq", "cancel", "CRQ-4", "--user", "bob").exitCode())
                .isZero();

        assertThat(crqService.requests())
                .extracting(FakeService.Request::path)
                .containsExactly("/crqs/CRQ-4/approve", "/crqs/CRQ-4/reject", "/crqs/CRQ-4/cancel");
        assertThat(crqService.requests().get(0).body()).isEqualTo("{}");
        assertThat(crqService.requests().get(1).json().get("reason").asText()).isEqualTo("no");
    }

    @Test
    void approveSendsTheReviewedCommitAndShowSaysWhyAnApprovalWasWithdrawn() throws Exception {
        String withdrawn = Fixtures.DETAILED_CRQ
                .replace("\"approvedCommit\":\"0123456789abcdef0123456789abcdef01234567\"", "\"approvedCommit\":null")
                .replace(
                        "\"approvalWithdrawn\":null",
                        "\"approvalWithdrawn\":\"new commit 89abcdef0123 pushed to feature/CRQ-7-login-timeout of webapp"
                                + " after bob approved 0123456789ab; approve again to merge it\"");
        assertThat(withdrawn).contains("new commit").contains("\"approvedCommit\":null");
        crqService.on("POST", "/crqs/CRQ-7/approve", 200, Fixtures.DETAILED_CRQ);
        crqService.on("GET", "/crqs/CRQ-7", 200, withdrawn);

        CliRunner.Result approved = cli.run("crq", "approve", "CRQ-7", "--commit", "0123456", "--user", "bob");
        CliRunner.Result shown = cli.run("crq", "show", "CRQ-7", "--user", "alice");

        assertThat(approved.exitCode()).as(approved.err()).isZero();
        assertThat(crqService.requests().get(0).json()).isEqualTo(json.readTree("{\"commit\":\"0123456\"}"));
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out())
                .contains("  withdrawn: new commit 89abcdef0123 pushed to feature/CRQ-7-login-timeout of webapp after"
                        + " bob approved 0123456789ab; approve again to merge it\n")
                .doesNotContain("approved:");
    }

    @Test
    void showOfAnUnknownCrqPrintsTheProblemAndExits1() {
        crqService.on("GET", "/crqs/CRQ-99", 404, FakeService.problem(404, "Not Found", "no CRQ-99"));

        CliRunner.Result result = cli.run("crq", "show", "CRQ-99", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: 404 Not Found: no CRQ-99\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aConflictingTransitionPrintsTheProblemAndExits1() {
        crqService.on(
                "POST",
                "/crqs/CRQ-5/approve",
                409,
                FakeService.problem(409, "Conflict", "CRQ-5 is DRAFT; only SUBMITTED can be approved"));

        CliRunner.Result result = cli.run("crq", "approve", "CRQ-5", "--user", "bob", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: 409 Conflict: CRQ-5 is DRAFT; only SUBMITTED can be approved\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aBadCrqIdIsAUsageErrorWithoutAnyRequest() {
        CliRunner.Result result = cli.run("crq", "show", "12", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("not a CRQ id (expected CRQ-<n>): 12");
        assertThat(crqService.requests()).isEmpty();
    }

    @Test
    void missingFieldsAreShownAsDashesOrNone() {
        crqService.on("GET", "/crqs/CRQ-8", 200, "{\"id\":\"CRQ-8\",\"status\":\"DRAFT\"}");

        CliRunner.Result result = cli.run("crq", "show", "CRQ-8", "--user", "alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("  approver:  -\n", "branches: none\n", "commits: none\n", "history: none\n");
    }
}
