package io.gitcrq.execagent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.AuditEventsProbe.AuditOnTopic;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.testsupport.git.TestGit;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Launch profiles on a real broker, database, tmux server and git repository: a profile runs in its CRQ's worktree
 * with the launch's parameters in its environment and its credential nowhere else; the Gemini CLI starts offline
 * in its pane with the CRQ as its context.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
@QuarkusTestResource(LaunchTestResource.class)
class LaunchIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "gitcrq.exec.tmux-socket")
    String socket;

    @ConfigProperty(name = "gitcrq.exec.log-dir")
    String logDir;

    /** Reads exec and audit events as audit-collector (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON);
    }

    @Inject
    TestCrqs crqs;

    private void crqCreated(String crqId, String title, String description) {
        crqs.announce(new CrqCreated(crqId, title, description, "alice", "demo", "main", Instant.now()));
    }

    private static String launch(Map<String, Object> body) {
        return await().atMost(WAIT)
                .until(() -> as("alice").body(body).post("/launches"), r -> r.statusCode() != 404)
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
    }

    private static JsonNode awaitEnd(String execId) {
        await().atMost(WAIT)
                .until(() ->
                        !"RUNNING".equals(as("alice").get("/execs/" + execId).path("status")));
        return EventCodec.mapper()
                .valueToTree(as("alice").get("/execs/" + execId).as(Map.class));
    }

    @Test
    void aPlainExecNamingNoDirectoryRunsInItsCrqsWorktreeAsALaunchWouldAndANamedOneStaysItsOwn() throws Exception {
        crqs.created("CRQ-70", "Plain exec here", "demo");
        String execId = as("alice")
                .body(Map.of(
                        "session",
                        "plain70",
                        "pane",
                        "p",
                        "command",
                        "bash -c 'pwd; git rev-parse --abbrev-ref HEAD'",
                        "crqId",
                        "CRQ-70"))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        JsonNode exec = awaitEnd(execId);
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-70");
        assertThat(exec.get("status").asText()).isEqualTo("FINISHED");
        assertThat(exec.get("exitCode").asInt()).isZero();
        assertThat(exec.get("cwd").asText()).isEqualTo(worktree.toString());
        assertThat(Files.readString(Path.of(exec.get("logPath").asText())))
                .isEqualTo(worktree + "\nfeature/CRQ-70-plain-exec-here\n");

        // The same worktree a launch for the CRQ works in.
        String launched = launch(Map.of("profile", "probe", "crqId", "CRQ-70"));
        assertThat(awaitEnd(launched).get("cwd").asText()).isEqualTo(worktree.toString());

        // A directory named is where it runs (the host policy still decides on the command).
        Path elsewhere = Files.createTempDirectory("plain-exec-");
        String named = as("alice")
                .body(Map.of(
                        "session",
                        "plain70",
                        "pane",
                        "q",
                        "command",
                        "pwd",
                        "crqId",
                        "CRQ-70",
                        "cwd",
                        elsewhere.toString()))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        JsonNode there = awaitEnd(named);
        assertThat(there.get("cwd").asText()).isEqualTo(elsewhere.toString());
        assertThat(Files.readString(Path.of(there.get("logPath").asText()))).isEqualTo(elsewhere + "\n");
    }

    @Test
    void aRepositoryWatchedAtAPathOfThisHostIsAProjectWithoutConfiguration() throws Exception {
        Path repo = Files.createDirectories(LaunchTestResource.root.resolve("watched-demo"));
        TestGit.git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("README.md"), "watched\n");
        TestGit.git(repo, "add", "README.md");
        TestGit.git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "init");
        crqs.watched("watched-demo", repo);
        crqs.created("CRQ-72", "Watched here", "watched-demo");

        String execId = as("alice")
                .body(Map.of(
                        "session",
                        "watched72",
                        "pane",
                        "p",
                        "command",
                        "bash -c 'pwd; git rev-parse --abbrev-ref HEAD'",
                        "crqId",
                        "CRQ-72"))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        JsonNode exec = awaitEnd(execId);
        Path worktree = LaunchTestResource.root.resolve("worktrees/watched-demo/CRQ-72");
        assertThat(exec.get("cwd").asText()).isEqualTo(worktree.toString());
        assertThat(Files.readString(Path.of(exec.get("logPath").asText())))
                .isEqualTo(worktree + "\nfeature/CRQ-72-watched-here\n");
        // A launch naming no project works in the same worktree.
        String launched = launch(Map.of("profile", "probe", "crqId", "CRQ-72"));
        assertThat(awaitEnd(launched).get("cwd").asText()).isEqualTo(worktree.toString());
    }

    @Test
    void aLaunchForAnUnknownOrClosedCrqIsRefusedRecordedAndAudited() {
        as("alice")
                .body(Map.of("profile", "probe", "crqId", "CRQ-404", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("CRQ-404 is not known"));
        JsonNode unknown = audits.await(v -> v.contains("exec-refused") && v.contains("CRQ-404 is not known"), WAIT)
                .data();
        assertThat(unknown.get("crqId").isNull())
                .as("the host's own trail: %s", unknown)
                .isTrue();
        assertThat(unknown.at("/payload/command").asText()).isEqualTo("launch probe");
        assertThat(unknown.at("/payload/crqId").asText()).isEqualTo("CRQ-404");

        crqs.created("CRQ-71", "Cancelled work", "demo");
        crqs.moved("CRQ-71", "DRAFT", "CANCELLED");
        as("alice")
                .body(Map.of("profile", "probe", "crqId", "CRQ-71", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("CRQ-71 is CANCELLED"));
        JsonNode cancelled = audits.await(v -> v.contains("exec-refused") && v.contains("CRQ-71 is CANCELLED"), WAIT)
                .data();
        assertThat(cancelled.get("crqId").asText()).isEqualTo("CRQ-71");
        // Nothing was checked out for it.
        assertThat(LaunchTestResource.root.resolve("worktrees/demo/CRQ-71")).doesNotExist();
    }

    /** A repeat of a launch whose answer was lost gets the first exec: the tool starts once. */
    @Test
    void aRepeatedLaunchWithItsIdempotencyKeyGetsTheFirstExecAndStartsTheToolOnce() {
        crqCreated("CRQ-74", "Launch once", "");
        Map<String, Object> request = Map.of("profile", "probe", "crqId", "CRQ-74", "project", "demo", "pane", "once");
        String key = UUID.randomUUID().toString();
        String first = await().atMost(WAIT)
                .until(
                        () -> as("alice")
                                .header("Idempotency-Key", key)
                                .body(request)
                                .post("/launches"),
                        r -> r.statusCode() != 404)
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue())
                .extract()
                .path("execId");
        awaitEnd(first);

        as("alice")
                .header("Idempotency-Key", key)
                .body(request)
                .post("/launches")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .header("Location", org.hamcrest.Matchers.endsWith("/execs/" + first))
                .body("execId", equalTo(first));
        assertThat(as("alice")
                        .get("/execs?crq=CRQ-74")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("execId", String.class))
                .as("one launch, one exec")
                .containsExactly(first);
    }

    @Test
    void aProfileRunsInTheCrqsWorktreeWithItsParametersAndItsSecretNowhereElse() throws Exception {
        crqCreated("CRQ-12", "Login timeout", "Users are logged out after 5 minutes of inactivity.");
        String execId = launch(Map.of("profile", "probe", "crqId", "CRQ-12", "project", "demo"));

        JsonNode exec = awaitEnd(execId);
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-12");
        assertThat(exec.get("status").asText()).isEqualTo("FINISHED");
        assertThat(exec.get("exitCode").asInt()).isZero();
        assertThat(exec.get("profile").asText()).isEqualTo("probe");
        assertThat(exec.get("cwd").asText()).isEqualTo(worktree.toString());
        assertThat(exec.get("branch").asText()).isEqualTo("feature/CRQ-12-login-timeout");

        String log = Files.readString(Path.of(exec.get("logPath").asText()));
        assertThat(log)
                .contains(
                        "cwd=" + worktree,
                        "crq=CRQ-12 branch=feature/CRQ-12-login-timeout project=demo",
                        "title=Login timeout",
                        "head=feature/CRQ-12-login-timeout",
                        "token=***",
                        "token-matches",
                        "mode=profile",
                        "# CRQ-12: Login timeout");
        // Its window is closed once the tool ended and its recording was made: no idle shell is left behind.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(ExecAgentIT.tmux(
                                        socket, List.of("list-windows", "-a", "-F", "#{session_name}:#{window_name}"))
                                .lines())
                        .doesNotContain("CRQ-12:probe"));

        // The recording went where the profile said; the credential is in no file the agent wrote.
        Path cast = LaunchTestResource.root.resolve("recordings/CRQ-12/" + execId + ".cast");
        assertThat(exec.get("recordingPath").asText()).isEqualTo(cast.toString());
        assertThat(Files.readString(cast)).contains("token-matches").doesNotContain(LaunchTestResource.TOKEN);
        assertThat(log).doesNotContain(LaunchTestResource.TOKEN);
        try (var files = Files.list(Path.of(logDir))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(execId))
                    .toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(LaunchTestResource.TOKEN);
            }
        }
        assertThat(Path.of(logDir, execId + ".secrets")).doesNotExist();

        // The context file is in the worktree, and git does not see it.
        assertThat(Files.readString(worktree.resolve("CONTEXT.md")))
                .contains("Users are logged out after 5 minutes of inactivity.");
        assertThat(TestGit.git(worktree, "status", "--porcelain")).isEmpty();

        // The launch is audited with its parameters and where its credential came from, never the value.
        AuditOnTopic launched = audits.await(v -> v.contains("\"launch\"") && v.contains(execId), WAIT);
        JsonNode payload = launched.event().payload();
        assertThat(payload.get("profile").asText()).isEqualTo("probe");
        assertThat(payload.at("/env/GITCRQ_BRANCH").asText()).isEqualTo("feature/CRQ-12-login-timeout");
        assertThat(payload.at("/credentials/DEPLOY_TOKEN").asText()).startsWith("file:");
        // The profile's audit source traced the tool's process tree: git, run by the probe, with its arguments.
        AuditOnTopic gitExec =
                audits.await(v -> v.contains(execId) && v.contains("\"process\"") && v.contains("rev-parse"), WAIT);
        assertThat(gitExec.event().crqId()).isEqualTo("CRQ-12");
        topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(execId), WAIT);
        assertThat(audits.awaitAll(v -> v.contains(execId), 1, Duration.ofSeconds(3)))
                .allSatisfy(a -> assertThat(a.json()).doesNotContain(LaunchTestResource.TOKEN));
        // Nor on the wire: every record of either topic that holds the exec (a batch carries its events as they are).
        for (String topic : List.of(Topics.AUDIT_EVENTS, Topics.EXEC_EVENTS)) {
            assertThat(topics.awaitAll(topic, v -> v.contains(execId), 1, Duration.ofSeconds(3)))
                    .allSatisfy(r -> assertThat(r.value()).doesNotContain(LaunchTestResource.TOKEN));
        }

        // A second launch for the CRQ reuses its worktree; command-line parameters override the profile's.
        String again = launch(Map.of(
                "profile",
                "probe",
                "crqId",
                "CRQ-12",
                "project",
                "demo",
                "env",
                Map.of("PROBE_MODE", "override"),
                "pane",
                "probe-2"));
        assertThat(awaitEnd(again).get("exitCode").asInt()).isZero();
        assertThat(Files.readString(Path.of(logDir, again + ".log"))).contains("mode=override", "cwd=" + worktree);
    }

    @Test
    void aCrqTitleReachesAShellProfilesScriptAsDataAndRunsNothing() throws Exception {
        Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
        String title = "$(touch " + pwned + ")";
        crqCreated("CRQ-50", title, "whoever writes a title");
        String execId = launch(Map.of(
                "profile", "title-shell", "crqId", "CRQ-50", "project", "demo", "branch", "feature/CRQ-50-title"));
        JsonNode exec = awaitEnd(execId);
        assertThat(exec.get("status").asText()).isEqualTo("FINISHED");
        assertThat(exec.get("exitCode").asInt()).isZero();
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-50");
        assertThat(Files.readAllLines(worktree.resolve("title-out.txt")))
                .containsExactly("quoted=" + title, "bare=" + title, "single=" + title);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aLaunchMayNotSetVariablesThatChangeWhatRunsAndEachRefusalIsAudited() throws Exception {
        crqCreated("CRQ-51", "Risky environment", "BASH_ENV=$(touch /tmp/x)");
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-51");
        for (String name : List.of("BASH_ENV", "LD_PRELOAD", "PATH")) {
            Map<String, Object> body = Map.of(
                    "profile",
                    "probe",
                    "crqId",
                    "CRQ-51",
                    "project",
                    "demo",
                    "pane",
                    "risky",
                    "env",
                    Map.of(name, worktree.resolve("CONTEXT.md").toString()));
            await().atMost(WAIT)
                    .until(() -> as("alice").body(body).post("/launches"), r -> r.statusCode() != 404)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("may not set " + name));
            audits.await(
                    v -> v.contains("exec-refused") && v.contains("CRQ-51") && v.contains("may not set " + name), WAIT);
        }
        // Nothing ran: the pane was never made.
        assertThat(ExecAgentIT.tmux(socket, List.of("list-windows", "-a", "-F", "#{session_name}:#{window_name}"))
                        .lines())
                .doesNotContain("CRQ-51:risky");
    }

    @Test
    void theGeminiCliStartsOfflineInTheWorktreeWithTheCrqAsItsContext() throws Exception {
        crqCreated("CRQ-21", "Add rate limiting", "Limit login attempts to 5 per minute per account.");
        String version = launch(Map.of(
                "profile",
                "gemini-offline",
                "crqId",
                "CRQ-21",
                "project",
                "demo",
                "pane",
                "version",
                "args",
                List.of("--version")));
        assertThat(awaitEnd(version).get("exitCode").asInt()).isZero();
        assertThat(Files.readString(Path.of(logDir, version + ".log"))).contains("0.61.0");

        String execId = launch(Map.of("profile", "gemini-offline", "crqId", "CRQ-21", "project", "demo"));
        String pane = "CRQ-21:gemini";
        // Started up (signed in with the key, no trust question) in the worktree, with GEMINI.md loaded.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(ExecAgentIT.tmux(socket, List.of("capture-pane", "-p", "-t", pane)))
                        .contains("1 GEMINI.md file", "CRQ-21"));
        // Asked for the context it loaded (a local command: no API call). Enter may first close the command
        // completion menu, so it is pressed until the answer shows.
        ExecAgentIT.tmux(socket, List.of("send-keys", "-t", pane, "-l", "/memory show"));
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String screen = ExecAgentIT.tmux(socket, List.of("capture-pane", "-p", "-J", "-S", "-200", "-t", pane));
            if (screen.contains("# CRQ-21: Add rate limiting")) {
                return true;
            }
            ExecAgentIT.tmux(socket, List.of("send-keys", "-t", pane, "Enter"));
            return false;
        });
        assertThat(ExecAgentIT.tmux(socket, List.of("capture-pane", "-p", "-J", "-S", "-200", "-t", pane)))
                .contains("Limit login attempts to 5 per minute per account.");
        ExecAgentIT.tmux(socket, List.of("send-keys", "-t", pane, "-l", "/quit"));
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            ExecAgentIT.tmux(socket, List.of("send-keys", "-t", pane, "Enter"));
            return !"RUNNING".equals(as("alice").get("/execs/" + execId).path("status"));
        });
        JsonNode exec = awaitEnd(execId);
        assertThat(exec.get("exitCode").asInt()).isZero();
        assertThat(exec.get("cwd").asText())
                .isEqualTo(
                        LaunchTestResource.root.resolve("worktrees/demo/CRQ-21").toString());
        String recording = Files.readString(Path.of(exec.get("recordingPath").asText()));
        assertThat(recording).contains("GEMINI.md").doesNotContain(LaunchTestResource.GEMINI_KEY);
        assertThat(Files.readString(Path.of(logDir, execId + ".log"))).doesNotContain(LaunchTestResource.GEMINI_KEY);
    }

    /**
     * A launch that brings an MCP token gives the Gemini CLI gitcrq's MCP server in the worktree: the settings file
     * (owner-only, out of git, other settings kept), the worktree trusted in the CLI's home, the server on the launch's
     * record but never the token; a launch without one takes the entry out; a tracked settings file is not written.
     */
    @Test
    void aLaunchWithAnMcpTokenGivesTheGeminiCliGitcrqsMcpServerInTheWorktree() throws Exception {
        crqCreated("CRQ-60", "Drive gitcrq from Gemini", "");
        String token = "gcqt_" + "A1b2".repeat(10);
        String first = launch(Map.of(
                "profile",
                "gemini-offline",
                "crqId",
                "CRQ-60",
                "project",
                "demo",
                "pane",
                "v1",
                "args",
                List.of("--version"),
                "mcpToken",
                token));
        assertThat(awaitEnd(first).get("exitCode").asInt()).isZero();
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-60");
        Path settings = worktree.resolve(".gemini/settings.json");
        JsonNode written = EventCodec.mapper().readTree(settings.toFile());
        assertThat(written.at("/mcpServers/gitcrq/url").asText()).isEqualTo(LaunchTestResource.MCP_URL);
        assertThat(written.at("/mcpServers/gitcrq/type").asText()).isEqualTo("http");
        assertThat(written.at("/mcpServers/gitcrq/headers/Authorization").asText())
                .isEqualTo("Bearer " + token);
        assertThat(Files.getPosixFilePermissions(settings)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(TestGit.git(worktree, "status", "--porcelain")).isEmpty();
        JsonNode trusted = EventCodec.mapper()
                .readTree(LaunchTestResource.root
                        .resolve("gemini-home/.gemini/trustedFolders.json")
                        .toFile());
        assertThat(trusted.path(worktree.toRealPath().toString()).asText()).isEqualTo("TRUST_FOLDER");
        AuditOnTopic launchAudit = audits.await(v -> v.contains("\"launch\"") && v.contains(first), WAIT);
        assertThat(launchAudit.json()).contains(LaunchTestResource.MCP_URL).doesNotContain(token);

        // A person's own settings stay; a launch without a token leaves no token behind.
        ObjectNode own = (ObjectNode) written;
        own.putObject("ui").put("theme", "GitHub");
        Files.writeString(settings, own.toString());
        String second = launch(Map.of(
                "profile",
                "gemini-offline",
                "crqId",
                "CRQ-60",
                "project",
                "demo",
                "pane",
                "v2",
                "args",
                List.of("--version")));
        assertThat(awaitEnd(second).get("exitCode").asInt()).isZero();
        JsonNode after = EventCodec.mapper().readTree(settings.toFile());
        assertThat(after.at("/ui/theme").asText()).isEqualTo("GitHub");
        assertThat(after.path("mcpServers").has("gitcrq")).isFalse();
        assertThat(Files.readString(settings)).doesNotContain(token);

        // A token for a profile that gives no MCP server, or one that is no bearer token, is refused.
        as("alice")
                .body(Map.of("profile", "shell", "crqId", "CRQ-60", "project", "demo", "mcpToken", token))
                .post("/launches")
                .then()
                .statusCode(400)
                .body("detail", containsString("gives its tool no MCP server"));
        as("alice")
                .body(Map.of(
                        "profile",
                        "gemini-offline",
                        "crqId",
                        "CRQ-60",
                        "project",
                        "demo",
                        "mcpToken",
                        "gcqt_x\"}, \"evil\": {"))
                .post("/launches")
                .then()
                .statusCode(400)
                .body("detail", containsString("mcpToken must be a bearer token"));

        // A settings file the repository tracks could be committed with the token in it: not written.
        Files.writeString(settings, "{}\n");
        TestGit.git(worktree, "add", "-f", ".gemini/settings.json");
        TestGit.git(
                worktree,
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-q",
                "-m",
                "CRQ-60 project settings");
        as("alice")
                .body(Map.of(
                        "profile",
                        "gemini-offline",
                        "crqId",
                        "CRQ-60",
                        "project",
                        "demo",
                        "pane",
                        "v3",
                        "mcpToken",
                        token))
                .post("/launches")
                .then()
                .statusCode(409)
                .body("detail", containsString("tracked by git"));
        assertThat(Files.readString(settings)).isEqualTo("{}\n");
    }

    @Test
    void aWorkflowProfileRunsTheCrqsWorkflowInItsWorktree() throws Exception {
        crqCreated("CRQ-40", "Nightly build", "Build it every night.");
        String runId = await().atMost(WAIT)
                .until(
                        () -> as("alice")
                                .body(Map.of("profile", "build-flow", "crqId", "CRQ-40", "project", "demo"))
                                .post("/launches"),
                        r -> r.statusCode() != 404)
                .then()
                .statusCode(202)
                .header("Location", containsString("/workflows/"))
                .body("crqId", equalTo("CRQ-40"))
                .extract()
                .path("runId");
        ExecAgentIT.awaitWorkflow(runId, WAIT);
        JsonNode run = EventCodec.mapper()
                .readTree(as("alice").get("/workflows/" + runId).asString());
        Path worktree = LaunchTestResource.root.resolve("worktrees/demo/CRQ-40");
        assertThat(run.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.get("workspace").asText()).isEqualTo(worktree.toString());
        JsonNode step = run.at("/jobs/0/steps/0");
        assertThat(Files.readString(Path.of(step.get("logPath").asText())))
                .contains("built on feature/CRQ-40-nightly-build in " + worktree);
        audits.await(v -> v.contains("\"launch\"") && v.contains(runId), WAIT);
    }

    @Test
    void profilesComposeAndBadLaunchesAnswerWithProblems() {
        as("bob")
                .get("/launches/profiles")
                .then()
                .statusCode(200)
                .body("$", hasKey("gemini"))
                .body("$", hasKey("probe"));
        as("bob")
                .get("/launches/profiles/gemini-offline")
                .then()
                .statusCode(200)
                .body("tool", equalTo("gemini"))
                .body("context-file", equalTo("GEMINI.md"))
                .body("env.GEMINI_CLI_TRUST_WORKSPACE", equalTo("true"))
                .body("credentials.GEMINI_API_KEY.file", containsString("gemini-key"));
        as("bob").get("/launches/profiles/nope").then().statusCode(404).contentType("application/problem+json");
        as("bob")
                .get("/launches/profiles/loop-a")
                .then()
                .statusCode(400)
                .body("detail", containsString("loop-a -> loop-b -> loop-a"));

        crqCreated("CRQ-30", "Profile errors", "");
        await().atMost(WAIT)
                .until(() -> as("alice")
                                .body(Map.of("profile", "probe", "crqId", "CRQ-30", "project", "nowhere"))
                                .post("/launches")
                                .statusCode()
                        != 404);
        as("alice")
                .body(Map.of("profile", "probe", "crqId", "CRQ-30", "project", "nowhere"))
                .post("/launches")
                .then()
                .statusCode(400)
                .body("detail", containsString("gitcrq.exec.projects.nowhere"));
        as("alice")
                .body(Map.of("profile", "probe", "crqId", "CRQ-404", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(404)
                .body("detail", containsString("CRQ-404 is not known"));
        as("alice")
                .body(Map.of(
                        "profile",
                        "probe",
                        "crqId",
                        "CRQ-30",
                        "project",
                        "demo",
                        "branch",
                        "feature/CRQ-31-someone-else"))
                .post("/launches")
                .then()
                .statusCode(400)
                .body("detail", containsString("belongs to CRQ-31"));
        as("alice")
                .body(Map.of("profile", "probe-missing-secret", "crqId", "CRQ-30", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(400)
                .body("detail", containsString("OTHER_TOKEN"))
                .body("detail", containsString("env:GITCRQ_TEST_NOT_SET"));
        // Only an allowed role may launch, and the host policy limits the profiles; both refusals are audited.
        as("bob")
                .body(Map.of("profile", "probe", "crqId", "CRQ-30", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(403);
        as("alice")
                .body(Map.of("profile", "not-allowed", "crqId", "CRQ-30", "project", "demo"))
                .post("/launches")
                .then()
                .statusCode(403)
                .body("detail", containsString("not allowed"));
        audits.await(v -> v.contains("exec-refused") && v.contains("launch not-allowed"), WAIT);
    }
}
