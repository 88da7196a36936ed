package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The journeys that only use a running platform share one: started once as {@code GITCRQ_KAFKA_TLS=1 ./gitcrq up}
 * starts it (every service's Kafka client speaking SASL over TLS to the broker, which takes nothing else), then a
 * person in a browser and an agent over MCP use it in turn.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class RunningPlatformIT {

    private DemoPlatform demo;

    /** The Gemini CLI's home for the launches of these tests: the machine user's own is never touched. */
    private Path geminiHome;

    @BeforeAll
    void startPlatform() throws IOException {
        Path profiles = Files.createTempDirectory("gitcrq-e2e-profiles-");
        geminiHome = Files.createTempDirectory("gitcrq-e2e-gemini-home-");
        Files.writeString(profiles.resolve("gemini-e2e.yaml"), """
                # The shipped gemini profile, with a Gemini CLI home of the test's own
                extends: gemini
                command: %s
                env:
                  GEMINI_CLI_HOME: %s
                """.formatted(gemini(), geminiHome));
        demo = DemoPlatform.startWithKafkaTls(Map.of("gitcrq.exec.profiles-dir", profiles.toString()));
    }

    /** The Gemini CLI that ./gitcrq setup installs (deploy/prerequisites.sh). */
    private static String gemini() {
        Path installed = Path.of("..", ".gitcrq-run/tools/node_modules/.bin/gemini")
                .toAbsolutePath()
                .normalize();
        assertThat(installed)
                .as("the Gemini CLI deploy/prerequisites.sh installs (./gitcrq test runs it)")
                .isExecutable();
        return installed.toString();
    }

    @AfterAll
    void stopPlatform() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void theBrokerTakesNoClientThatDoesNotSpeakTls() {
        Map<String, Object> config = new HashMap<>(demo.platform.kafkaClientConfig(TopicAccess.CRQ_SERVICE));
        assertThat(config).containsEntry("security.protocol", "SASL_SSL");
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            Throwable refused =
                    catchThrowable(() -> producer.send(new ProducerRecord<>(Topics.CRQ_EVENTS, "probe", "probe"))
                            .get(1, TimeUnit.MINUTES));
            assertThat(refused)
                    .as("a record sent with the right password but without TLS")
                    .isNotNull();
        }
    }

    /**
     * The console as a person watches it: a real headless Chromium logged in as alice, on a running platform, while CRQs
     * are created, approved, merged and commands run with the real CLI. Every change must reach the open page without a
     * reload; screenshots of each page are kept in {@code e2e/target/screenshots}.
     */
    @Nested
    @Order(1)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ConsoleInABrowser {

        /** Generous, for a loaded machine: a wait ends as soon as its condition holds. */
        private static final Duration PATIENCE = Duration.ofMinutes(2);

        /**
         * How soon a new CRQ must be on an open board: the median of {@link #SAMPLES} creations within 2 s, each one
         * within {@link #LIVE} (one slow moment of a loaded CI machine fails nothing, a page that never updates live
         * does).
         */
        private static final Duration AIM = Duration.ofSeconds(2);

        private static final Duration LIVE = Duration.ofSeconds(20);
        private static final int SAMPLES = 3;

        /** Set in the page once it loaded: a reload would remove it. */
        private static final String NO_RELOAD = "window.__gitcrqLoadedOnce";

        private Browser browser;
        private String console;

        @BeforeAll
        void openBrowser() throws Exception {
            console = demo.url("console");
            browser = Browser.open(demo.repoRoot, "alice", "alice");
        }

        @AfterAll
        void closeBrowser() {
            if (browser != null) {
                browser.close();
            }
        }

        @Test
        @Order(1)
        void aCrqCreatedWithTheCliAppearsOnTheBoardWithoutAReload() {
            openLive("/");
            String id = null;
            List<Duration> latencies = new ArrayList<>();
            for (int i = 1; i <= SAMPLES; i++) {
                String created = demo.newCrq("alice", i == 1 ? "Board shows it live" : "Board sample " + i);
                long createdAt = System.nanoTime();
                browser.waitFor("#board [data-crq='" + created + "']", null, PATIENCE);
                Duration latency = Duration.ofNanos(System.nanoTime() - createdAt);
                System.out.printf(
                        "console board: %s on the open page %d ms after the CLI created it%n",
                        created, latency.toMillis());
                assertThat(latency).isLessThan(LIVE);
                latencies.add(latency);
                id = id == null ? created : id;
            }
            assertThat(latencies.stream().sorted().toList().get(SAMPLES / 2))
                    .as("median time to the open board, of " + latencies)
                    .isLessThanOrEqualTo(AIM);
            assertNotReloaded();
            assertThat(browser.text("[data-crq='" + id + "'] .title")).isEqualTo("Board shows it live");
            assertThat(browser.eval("document.querySelector(\"[data-crq='" + id + "']\").dataset.status")
                            .asText())
                    .isEqualTo("DRAFT");
            browser.screenshot("board");
        }

        @Test
        @Order(2)
        void bobsApprovalMovesTheCrqToMergedThenClosedLiveOnItsPage() throws Exception {
            String id = demo.newSubmittedCrq("alice", "Merged while watched");
            String branch = demo.startBranch(id, "merged while watched");
            String commit = demo.commitAndPush(branch, "watched.txt", "watched", id + ": watched");
            openLive("/crqs/" + id);
            browser.waitFor("#branches [data-head='" + commit + "']", null, PATIENCE);

            demo.cli.ok("bob", "crq", "approve", id, "--reason", "four eyes");
            // Each arrives on the open page as its event does: the CRQ's status and the merge come on topics of their
            // own,
            // in either order.
            browser.waitFor("#crq-status[data-status='CLOSED']", null, PATIENCE);
            browser.waitFor("#crq-merge-state[data-merge-state='MERGED']", null, PATIENCE);
            browser.waitFor("#crq-approved-commit[data-commit='" + commit + "']", null, PATIENCE);
            browser.waitFor("#timeline li", "MERGED → CLOSED", PATIENCE);
            browser.waitFor("#timeline li", "APPROVED → MERGED", PATIENCE);
            assertNotReloaded();
            browser.screenshot("crq");
        }

        @Test
        @Order(3)
        void theMergeQueueShowsACrqWaitingForARequiredCheckAndWhy() throws Exception {
            demo.cli.ok("admin", "merge-settings", "set", "demo", "--require", "ci/build");
            String id = demo.newSubmittedCrq("alice", "Waits for its build");
            String branch = demo.startBranch(id, "waits for build");
            String commit = demo.commitAndPush(branch, "gated.txt", "gated", id + ": gated");
            openLive("/crqs/" + id);
            browser.waitFor("#branches [data-head='" + commit + "']", null, PATIENCE);

            openLive("/queues");
            demo.cli.ok("bob", "crq", "approve", id, "--reason", "four eyes");
            String entry = "tr.entry[data-crq='" + id + "']";
            browser.waitFor(entry + "[data-state='WAITING']", null, PATIENCE);
            assertNotReloaded();
            assertThat(browser.text(entry + " .reason")).contains("ci/build");
            browser.screenshot("queues");

            // The check passes: the CRQ leaves the queue for the recent merges, on the same page.
            demo.cli.ok(
                    "ci",
                    "check",
                    "report",
                    "--repo",
                    "demo",
                    "--commit",
                    commit,
                    "--name",
                    "ci/build",
                    "--status",
                    "SUCCESS");
            browser.waitFor("tr.merged[data-crq='" + id + "']", null, PATIENCE);
            assertNotReloaded();
            demo.cli.ok("admin", "merge-settings", "set", "demo");
        }

        @Test
        @Order(4)
        void aCommandRunWithTheCliAppearsInItsHostsStreamAndItsRecordingPlays() throws Exception {
            String host = demo.platform.execHost();
            String id = demo.newSubmittedCrq("alice", "Runs commands");
            // The host's page exists once the console has heard of the host: its first command.
            demo.cli.ok("alice", "exec", "--crq", id, "--session", "console", "--pane", "first", "--", "true");
            Waits.until(
                    "the console knows host " + host,
                    PATIENCE,
                    Duration.ofMillis(500),
                    () -> browser.open(console + "/hosts/" + host) == 200);
            openLive("/hosts/" + host);

            Cli.Result exec = demo.cli.as(
                    "alice",
                    "exec",
                    "--crq",
                    id,
                    "--session",
                    "console",
                    "--pane",
                    "second",
                    "--",
                    "sh",
                    "-c",
                    "echo console-$((6*7)); exit 3");
            assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
            browser.waitFor("tr.exec[data-status='FINISHED']", "console-", PATIENCE);
            assertNotReloaded();
            assertThat(browser.eval("[...document.querySelectorAll('tr.exec')]"
                                    + ".find(r => r.textContent.includes('console-')).dataset.exitCode")
                            .asText())
                    .isEqualTo("3");
            browser.screenshot("host");

            // Its recording plays in its own page, read from this host's exec-agent through the console.
            String execId = browser.eval("[...document.querySelectorAll('tr.exec')]"
                            + ".find(r => r.textContent.includes('console-')).dataset.exec")
                    .asText();
            assertThat(browser.open(console + "/execs/" + execId)).isEqualTo(200);
            browser.waitFor(".ap-term", "console-42", PATIENCE);
            browser.screenshot("recording");
        }

        @Test
        @Order(5)
        void afterTheBrowserLosesTheStreamAndReconnectsNothingIsMissing() {
            openLive("/");
            // The console stops (a rolling update, say): the open page loses its stream and keeps trying.
            demo.platform.stop("console", false);
            browser.waitFor("#live-status:not([data-live='connected'])", null, PATIENCE);
            String first = demo.newCrq("alice", "Made while the console was away");
            String second = demo.newCrq("alice", "Also made while it was away");
            demo.platform.start("console");
            demo.platform.awaitReady("console", PATIENCE);

            // The page reconnects by itself and resumes after the last change it had (Last-Event-ID).
            browser.waitFor("#live-status[data-live='connected']", null, PATIENCE);
            browser.waitFor("#live-log [data-crq='" + first + "']", null, PATIENCE);
            browser.waitFor("#live-log [data-crq='" + second + "']", null, PATIENCE);
            browser.waitFor("#board [data-crq='" + first + "']", null, PATIENCE);
            browser.waitFor("#board [data-crq='" + second + "']", null, PATIENCE);
            assertNotReloaded();
            browser.screenshot("board-after-reconnect");
        }

        /** Opens a console page, waits for its live stream, and marks the page so that a reload would show. */
        private void openLive(String path) {
            assertThat(browser.open(console + path)).isEqualTo(200);
            browser.waitFor("#live-status[data-live='connected']", null, PATIENCE);
            browser.eval(NO_RELOAD + " = true");
        }

        private void assertNotReloaded() {
            assertThat(browser.eval(NO_RELOAD + " === true").asBoolean())
                    .as("the page was not reloaded")
                    .isTrue();
        }
    }

    /**
     * gitcrq driven by an agent: a real MCP client (the MCP Java SDK's, over Streamable HTTP) against mcp-server on a
     * platform started as {@code ./gitcrq up} starts it, with the real owning services behind it. The agent acts as the
     * user whose credentials it holds: it opens a CRQ, starts its branch, runs a command and reads the CRQ's trail; an
     * agent acting for the requester cannot approve.
     */
    @Nested
    @Order(2)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgentOverMcp {

        private static final Duration PATIENCE = Duration.ofMinutes(2);
        private static final ObjectMapper JSON = new ObjectMapper();

        @Test
        void anAgentOpensACrqStartsItsBranchRunsACommandAndReadsTheTrailButCannotApproveForTheRequester()
                throws Exception {
            try (McpSyncClient alice = client("alice")) {
                Set<String> offered = alice.listTools().tools().stream()
                        .map(McpSchema.Tool::name)
                        .collect(Collectors.toSet());
                assertThat(offered)
                        .contains(
                                "crq_list",
                                "crq_show",
                                "crq_create",
                                "crq_submit",
                                "branch_start",
                                "exec_run",
                                "workflow_run",
                                "workflow_show",
                                "audit_timeline",
                                "audit_verify",
                                "merge_status",
                                "repo_unlinked")
                        .doesNotContain("crq_approve");

                JsonNode crq = ok(
                        alice,
                        "crq_create",
                        Map.of("title", "Agent work", "description", "opened through MCP", "repo", "demo"));
                String id = crq.path("id").asText();
                assertThat(id).startsWith("CRQ-");
                assertThat(crq.path("requester").asText()).isEqualTo("alice");

                JsonNode branch =
                        ok(alice, "branch_start", Map.of("crqId", id, "type", "feature", "description", "agent work"));
                assertThat(branch.path("branch").asText()).isEqualTo("feature/" + id + "-agent-work");

                JsonNode run = ok(
                        alice,
                        "exec_run",
                        Map.of("crqId", id, "command", "sh -c 'echo agent-$((40+2)); exit 3'", "timeoutSeconds", 110));
                String execId = run.path("execId").asText();
                assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("FINISHED");
                assertThat(run.path("exitCode").asInt()).isEqualTo(3);
                assertThat(run.path("outputTail").asText()).contains("agent-42");
                assertThat(run.path("exec").path("requestedBy").asText()).isEqualTo("alice");

                await(
                        "the CRQ's timeline shows the exec",
                        () -> ok(alice, "audit_timeline", Map.of("crq", id))
                                .path("entries")
                                .toString()
                                .contains("exec " + execId + " on "));
                String timeline = ok(alice, "audit_timeline", Map.of("crq", id))
                        .path("entries")
                        .toString();
                assertThat(timeline).contains("exec " + execId).contains("ended with exit code 3");

                // What the agent did is on the CRQ's record too: each tool call, chained by audit-collector in
                // gitcrq/mcp-server (crq_create's as the CRQ it created).
                await(
                        "the CRQ's timeline shows the agent's tool calls",
                        () -> ok(alice, "audit_timeline", Map.of("crq", id))
                                .path("entries")
                                .toString()
                                .contains("alice called exec_run, OK"));
                String calls = ok(alice, "audit_timeline", Map.of("crq", id))
                        .path("entries")
                        .toString();
                assertThat(calls)
                        .contains("agent-tool-call on gitcrq/mcp-server: alice called crq_create, OK")
                        .contains("agent-tool-call on gitcrq/mcp-server: alice called branch_start, OK")
                        .contains("agent-tool-call on gitcrq/mcp-server: alice called exec_run, OK");

                // crq_approve is not offered to a requester, nor run when called anyway.
                Throwable refused = catchThrowable(
                        () -> alice.callTool(new McpSchema.CallToolRequest("crq_approve", Map.of("id", id))));
                assertThat(refused).isNotNull().hasMessageContaining("crq_approve");
            }

            // An agent acting for admin (requester and approver) may approve, but not a CRQ admin requested:
            // crq-service
            // refuses it, and the tool says so.
            try (McpSyncClient admin = client("admin")) {
                String own = ok(admin, "crq_create", Map.of("title", "Admin's own change", "repo", "demo"))
                        .path("id")
                        .asText();
                ok(admin, "crq_submit", Map.of("id", own));
                McpSchema.CallToolResult approve =
                        admin.callTool(new McpSchema.CallToolRequest("crq_approve", Map.of("id", own)));
                assertThat(approve.isError()).isTrue();
                assertThat(text(approve))
                        .startsWith("not permitted: crq-service answered 403")
                        .contains(own);
                assertThat(ok(admin, "crq_show", Map.of("id", own))
                                .path("status")
                                .asText())
                        .isEqualTo("SUBMITTED");
            }
        }

        /**
         * A token alice makes for one CRQ lets an agent act there as alice, with the real services deciding as for
         * her, and nowhere else.
         */
        @Test
        void anAgentWithACrqScopedTokenActsOnThatCrqAlone() throws Exception {
            String mine = demo.newSubmittedCrq("alice", "Scoped agent work");
            String other = demo.newSubmittedCrq("alice", "Not the agent's");
            HttpResponse<String> made = java.net.http.HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(demo.url("mcp-server") + "/crq-tokens"))
                                    .header("Authorization", basic("alice"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"crqId\":\"" + mine + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String token = JSON.readTree(made.body()).path("token").asText();

            try (McpSyncClient agent = connect("Bearer " + token)) {
                assertThat(ok(agent, "crq_show", Map.of("id", mine))
                                .path("requester")
                                .asText())
                        .isEqualTo("alice");
                JsonNode run = ok(
                        agent,
                        "exec_run",
                        Map.of("crqId", mine, "command", "echo scoped-$((40+2))", "timeoutSeconds", 110));
                assertThat(run.path("outputTail").asText()).contains("scoped-42");
                assertThat(run.path("exec").path("requestedBy").asText()).isEqualTo("alice");

                McpSchema.CallToolResult refused =
                        agent.callTool(new McpSchema.CallToolRequest("crq_submit", Map.of("id", other)));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused)).contains("this token is for " + mine + " only, not " + other);
            }
        }

        /**
         * {@code gitcrq launch gemini --crq CRQ-n}: the CLI makes a token for the CRQ as alice and the launch gives it
         * to the Gemini CLI in the CRQ's worktree, so that {@code gemini mcp list} there (in the launch's pane, and run
         * by hand in the worktree, which the launch trusted) finds gitcrq Connected with no API key, and the token
         * in the settings acts on that CRQ alone.
         */
        @Test
        void geminiLaunchedForACrqHasGitcrqsMcpServerConnectedInItsWorktree() throws Exception {
            String id = demo.newSubmittedCrq("alice", "Gemini drives gitcrq");
            String other = demo.newSubmittedCrq("alice", "Not Gemini's");
            JsonNode ended = demo.cli
                    .ok(
                            "alice",
                            "--json",
                            "launch",
                            "gemini-e2e",
                            "--crq",
                            id,
                            "--pane",
                            "mcp-list",
                            "--wait",
                            "--timeout",
                            "300",
                            "--",
                            "mcp",
                            "list")
                    .json();
            assertThat(ended.path("exitCode").asInt()).as(ended.toString()).isZero();
            String paneOutput = Files.readString(Path.of(ended.path("logPath").asText()));
            assertThat(paneOutput).contains("gitcrq").contains("Connected").doesNotContain("gcqt_");

            Path worktree = Path.of(ended.path("cwd").asText());
            Path settings = worktree.resolve(".gemini/settings.json");
            assertThat(Files.getPosixFilePermissions(settings)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(git(worktree, "status", "--porcelain"))
                    .as("the settings and context stay out of git")
                    .isEmpty();
            JsonNode server =
                    JSON.readTree(settings.toFile()).path("mcpServers").path("gitcrq");
            assertThat(server.path("url").asText()).isEqualTo(demo.url("mcp-server") + "/mcp");
            assertThat(server.path("type").asText()).isEqualTo("http");

            // By hand in the worktree, as a person would: trusted by the launch, not by the pane's environment.
            ProcessBuilder byHand = new ProcessBuilder(gemini(), "mcp", "list")
                    .directory(worktree.toFile())
                    .redirectErrorStream(true);
            byHand.environment().put("GEMINI_CLI_HOME", geminiHome.toString());
            byHand.environment().remove("GEMINI_CLI_TRUST_WORKSPACE");
            byHand.environment().remove("GEMINI_API_KEY");
            Process listing = byHand.start();
            assertThat(listing.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String listed = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(listed).contains("gitcrq").contains("Connected");

            try (McpSyncClient gemini =
                    connect(server.path("headers").path("Authorization").asText())) {
                assertThat(ok(gemini, "crq_show", Map.of("id", id))
                                .path("requester")
                                .asText())
                        .isEqualTo("alice");
                McpSchema.CallToolResult refused =
                        gemini.callTool(new McpSchema.CallToolRequest("crq_show", Map.of("id", other)));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused)).contains("this token is for " + id + " only, not " + other);
            }
        }

        private McpSyncClient client(String user) {
            return connect(basic(user));
        }

        private static String basic(String user) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        }

        private McpSyncClient connect(String authorization) {
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(demo.url("mcp-server"))
                            .endpoint("/mcp")
                            .requestBuilder(HttpRequest.newBuilder().header("Authorization", authorization))
                            .build())
                    .requestTimeout(Duration.ofMinutes(3))
                    .build();
            client.initialize();
            return client;
        }

        /** A tool's answer, which must not be an error, as JSON. */
        private static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> arguments) {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
            assertThat(result.isError()).as(tool + ": " + text(result)).isNotEqualTo(Boolean.TRUE);
            try {
                return JSON.readTree(text(result));
            } catch (IOException e) {
                throw new AssertionError(tool + " did not answer JSON: " + text(result), e);
            }
        }

        private static String text(McpSchema.CallToolResult result) {
            return result.content().stream()
                    .map(c -> ((McpSchema.TextContent) c).text())
                    .collect(Collectors.joining("\n"));
        }

        private static void await(String what, BooleanSupplier condition) throws InterruptedException {
            Waits.until(what, PATIENCE, Duration.ofMillis(500), condition);
        }
    }
}
