package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.DatabaseServer;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole platform as a user meets it: the broker and the six services as separate processes started from
 * their runnable jars, driven through the real CLI jar and real git, on real PostgreSQL and tmux; then, on the same
 * platform, the fault rounds ({@link UnderFaults}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformJourneyIT {

    /**
     * How long anything asynchronous may take before a test gives up: generous, because a loaded 2-core machine
     * once needed more than 30 s for what takes one on a quiet one; a wait ends as soon as its condition holds.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /** Approvals merged while merge-bot is stopped gracefully. */
    private static final int BURST = 12;

    /** Commands run while the broker is down. */
    private static final int OUTAGE_COMMANDS = 5;

    private DemoPlatform demo;
    private String runId;
    private Path repoRoot;
    private Platform platform;
    private Cli cli;
    private Path bare;
    private Path clone;
    private PlatformTopics topics;

    @BeforeAll
    void startPlatform() throws IOException {
        demo = DemoPlatform.start(Map.of());
        runId = demo.runId;
        repoRoot = demo.repoRoot;
        platform = demo.platform;
        cli = demo.cli;
        bare = demo.bare;
        clone = demo.clone;
        topics = demo.topics;
    }

    @AfterAll
    void stopPlatform() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void aChangeGoesFromRequestToAutomaticMergeAndItsCommandsAreAudited() throws Exception {
        String id = demo.newSubmittedCrq("alice", "Login timeout");
        String branch = demo.startBranch(id, "login timeout");
        assertThat(branch).isEqualTo("feature/" + id + "-login-timeout");
        String commit = demo.commitAndPush(branch, "timeout.txt", "30 min", id + ": raise login timeout");

        await(
                "the CRQ shows its commit",
                PATIENCE,
                () -> cli.ok("alice", "--json", "crq", "show", id)
                        .json()
                        .path("links")
                        .path("commits")
                        .toString()
                        .contains(commit));

        // Through Kafka: crq-service signs an exec grant for alice, the agent of this host verifies it and runs it.
        String agentHost = platform.execHost();
        String queued = cli.ok(
                        "alice",
                        "exec",
                        "--crq",
                        id,
                        "--queue",
                        "--host",
                        agentHost,
                        "--session",
                        "journey",
                        "--pane",
                        "queued",
                        "--",
                        "echo",
                        "queued-by-alice")
                .out()
                .trim();
        await("the command sent through Kafka ran", PATIENCE, () -> "FINISHED".equals(execStatus(queued)));
        assertThat(execLog(queued)).contains("queued-by-alice");

        // Commands run while the CRQ is open (a closed one refuses them: 409).
        Cli.Result exec = cli.as(
                "alice",
                "exec",
                "--crq",
                id,
                "--session",
                "journey",
                "--pane",
                "work",
                "--branch",
                branch,
                "--keep-pane",
                "--",
                "sh",
                "-c",
                "echo journey-$((40+2)); exit 4");
        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(4);
        // Kept on request: a person attached to the session still sees what it printed.
        assertThat(tmuxPane("journey:work")).contains("journey-42");

        String mainBefore = git(bare, "rev-parse", "main");
        cli.ok("bob", "crq", "approve", id, "--reason", "four eyes");
        long approvedAt = System.nanoTime();
        // Measured with git and one HTTP call, not the CLI: a CLI JVM per check would time the check itself.
        await(
                "main holds the merge commit and the CRQ is closed",
                Duration.ofSeconds(5),
                () -> !git(bare, "rev-parse", "main").equals(mainBefore) && "CLOSED".equals(crqStatus(id)));
        Duration latency = Duration.ofNanos(System.nanoTime() - approvedAt);
        System.out.println("approval -> merge commit on main and CRQ CLOSED: " + latency.toMillis() + " ms");
        assertThat(latency).isLessThanOrEqualTo(Duration.ofSeconds(5));
        String merge = git(bare, "rev-parse", "main");
        assertThat(git(bare, "rev-list", "--parents", "-n", "1", merge).split(" "))
                .contains(mainBefore, commit);
        assertThat(git(bare, "log", "-1", "--format=%B", merge)).contains(id);
        JsonNode crq = cli.ok("bob", "--json", "crq", "show", id).json();
        assertThat(crq.path("history").findValuesAsText("to")).contains("MERGED", "CLOSED");
        // Once exec-agent has seen the CRQ closed (its events reach the agent as they reach everyone), no command.
        await("exec-agent refuses commands for the closed " + id, PATIENCE, () -> {
            Cli.Result late =
                    cli.as("alice", "exec", "--crq", id, "--session", "journey", "--pane", "late", "--", "true");
            return late.exitCode() == 1
                    && late.err().contains("409")
                    && late.err().contains(id + " is CLOSED");
        });

        await("the audit trail of the CRQ shows the command and its exit code", PATIENCE, () -> {
            JsonNode items =
                    cli.ok("alice", "--json", "audit", "--crq", id).json().path("items");
            for (JsonNode item : items) {
                if ("exec".equals(item.path("kind").asText())
                        && item.path("payload").path("exitCode").asInt() == 4
                        && item.path("payload").path("command").asText().contains("journey-")) {
                    return true;
                }
            }
            return false;
        });
        assertThat(cli.ok("alice", "audit", "--crq", id).out()).contains("exec");
    }

    @Test
    @Order(2)
    void refusalsAreClearAndLeaveNothingBehind() throws Exception {
        String draft = cli.ok("alice", "--json", "crq", "create", "--title", "Draft only", "--repo", "demo")
                .json()
                .path("id")
                .asText();
        Cli.Result approveDraft = cli.as("bob", "crq", "approve", draft);
        assertThat(approveDraft.exitCode()).isEqualTo(1);
        assertThat(approveDraft.err()).contains("409");

        String own = demo.newSubmittedCrq("alice", "Self approval");
        Cli.Result selfApproval = cli.as("alice", "crq", "approve", own);
        assertThat(selfApproval.exitCode()).isEqualTo(1);
        assertThat(selfApproval.err()).containsIgnoringCase("forbidden");

        // A branch outside the naming policy is reported, through the API.
        git(clone, "checkout", "-q", "-b", "wip/foo", "main");
        Files.writeString(clone.resolve("wip.txt"), "wip\n");
        git(clone, "add", ".");
        git(clone, "commit", "-m", own + ": wip");
        git(clone, "push", "origin", "wip/foo");
        await(
                "a PolicyViolation for wip/foo",
                PATIENCE,
                () -> cli.ok("admin", "--json", "repo", "violations", "--repo", "demo")
                        .out()
                        .contains("wip/foo"));

        // A CRQ whose branch carries another CRQ's commit is not merged, and says why.
        String mixed = demo.newSubmittedCrq("dave", "Mixed branch");
        String branch = demo.startBranch(mixed, "mixed work");
        demo.commitAndPush(branch, "mine.txt", "mine", mixed + ": my part");
        demo.commitAndPush(branch, "theirs.txt", "theirs", draft + ": somebody else's part");
        await(
                "git-watcher saw the branch's commits",
                PATIENCE,
                () -> cli.ok("dave", "--json", "crq", "show", mixed)
                                .json()
                                .path("links")
                                .path("commits")
                                .size()
                        == 1);
        String mainBefore = git(bare, "rev-parse", "main");
        cli.ok("bob", "crq", "approve", mixed);
        await(
                "the CRQ says why it is blocked",
                PATIENCE,
                () -> cli.ok("bob", "--json", "crq", "show", mixed)
                        .json()
                        .path("blockedReason")
                        .asText()
                        .contains(draft));
        assertThat(git(bare, "rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(cli.ok("bob", "--json", "crq", "show", mixed)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("APPROVED");
    }

    @Test
    @Order(3)
    void aServiceKilledMidJourneyLosesNoEventAndRepeatsNoMerge() throws Exception {
        String id = demo.newSubmittedCrq("dave", "Survive a crash");
        String branch = demo.startBranch(id, "survive crash");
        demo.commitAndPush(branch, "crash.txt", "still here", id + ": survive a crash");
        await(
                "the CRQ shows its commit",
                PATIENCE,
                () -> cli.ok("dave", "--json", "crq", "show", id)
                                .json()
                                .path("links")
                                .path("commits")
                                .size()
                        == 1);

        platform.stop("merge-bot", true);
        cli.ok("bob", "crq", "approve", id);
        topics.awaitPublished(
                Topics.CRQ_EVENTS,
                r -> r.eventType().equals(EventType.CRQ_APPROVED.ceType())
                        && id.equals(r.data().path("crqId").asText()));
        assertThat(cli.ok("bob", "--json", "crq", "show", id)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("APPROVED");
        platform.start("merge-bot");
        platform.awaitReady("merge-bot", Duration.ofMinutes(3));
        await(
                "the approval made while merge-bot was down is merged",
                PATIENCE,
                () -> "CLOSED"
                        .equals(cli.ok("bob", "--json", "crq", "show", id)
                                .json()
                                .path("status")
                                .asText()));

        // Kill it again right after the merge: whatever Kafka redelivers must not merge a second time.
        platform.stop("merge-bot", true);
        platform.start("merge-bot");
        platform.awaitReady("merge-bot", Duration.ofMinutes(3));
        topics.awaitConsumed("merge-bot", Topics.CRQ_EVENTS, Topics.GIT_EVENTS, Topics.MERGE_EVENTS);
        String merges = git(bare, "log", "main", "--merges", "--format=%H %s%n%b", "--grep", id);
        assertThat(merges.lines()
                        .filter(l -> l.contains("Merge branch '" + branch + "'"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    @Order(4)
    void commandsRunWhileTheBrokerIsDownAreAuditedOnceEachInOrderWhenItIsBack() throws Exception {
        String id = demo.newSubmittedCrq("alice", "Broker outage");
        int kafkaPort = platform.settings().kafkaPort();

        // exec-agent runs commands only for a CRQ it knows: its CrqCreated must be there before the broker goes.
        topics.awaitConsumed(TopicAccess.execAgentGroups(platform.execHost()).get(1), Topics.CRQ_EVENTS);
        assertThat(relayLastError("exec-agent"))
                .as("exec-agent's relay before the outage")
                .isEqualTo("null");
        // A crash, not a clean stop: the broker gets no chance to flush or hand anything over.
        platform.stop(Platform.BROKER, true);
        long killedAt = System.nanoTime();
        assertThat(portOpen(kafkaPort)).as("the broker's port after SIGKILL").isFalse();

        // Each command runs through the CLI and the exec-agent's REST API, which answer without Kafka.
        List<String> execIds = new ArrayList<>();
        for (int i = 1; i <= OUTAGE_COMMANDS; i++) {
            Cli.Result exec = cli.as(
                    "alice",
                    "--json",
                    "exec",
                    "--crq",
                    id,
                    "--session",
                    "outage",
                    "--pane",
                    "steps",
                    "--keep-pane",
                    "--",
                    "echo",
                    "step-" + i);
            assertThat(exec.exitCode()).as(exec.toString()).isZero();
            JsonNode view = exec.json();
            assertThat(view.path("status").asText()).as(exec.toString()).isEqualTo("FINISHED");
            assertThat(view.path("exitCode").asInt(-1)).isZero();
            execIds.add(view.path("execId").asText());
        }
        assertThat(execIds).doesNotHaveDuplicates();
        assertThat(tmuxPane("outage:steps")).contains("step-" + OUTAGE_COMMANDS);
        // Spooled where the state change was committed: exec-agent's outbox holds ExecFinished and
        // AuditCaptured of each, and none has reached audit-collector.
        assertThat(platform.settings()
                        .database()
                        .query(
                                DatabaseServer.user(),
                                platform.database(ServiceSpec.named("exec-agent")),
                                "SELECT count(*) FROM outbox_event WHERE payload LIKE '%\"crqId\":\"" + id + "\"%'"))
                .isEqualTo(String.valueOf(2 * OUTAGE_COMMANDS));
        assertThat(auditedExecs(id)).isEmpty();
        // Down until the relay has given a batch up (it then sends it again), as on a laptop whose broker is
        // down for minutes. Checked once a second: a service logs every health answer that is DOWN.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String relayError;
        while ("null".equals(relayError = relayLastError("exec-agent"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("exec-agent's relay reported no failed send to Kafka within 90 s");
            }
            Thread.sleep(1000);
        }
        System.out.println("exec-agent's relay while the broker is down: " + relayError);
        System.out.println(
                "broker down " + Duration.ofNanos(System.nanoTime() - killedAt).toSeconds()
                        + " s; exec-agent /q/health/ready " + healthOf("exec-agent", "/q/health/ready"));

        long restartedAt = System.nanoTime();
        platform.startBroker(Duration.ofMinutes(2));
        Duration brokerUp = Duration.ofNanos(System.nanoTime() - restartedAt);
        await(
                "audit-collector holds the " + OUTAGE_COMMANDS + " commands run while the broker was down",
                PATIENCE,
                () -> auditedExecs(id).size() >= OUTAGE_COMMANDS);
        Duration delivered = Duration.ofNanos(System.nanoTime() - restartedAt);
        System.out.println("broker restart: port open after " + brokerUp.toMillis() + " ms, all " + OUTAGE_COMMANDS
                + " spooled commands audited after " + delivered.toMillis() + " ms");

        // A late duplicate would be on the topic already: look once audit-collector has processed all of it.
        topics.awaitConsumed("audit-collector", Topics.AUDIT_EVENTS);
        List<JsonNode> audited = auditedExecs(id);
        assertThat(audited).hasSize(OUTAGE_COMMANDS);
        assertThat(audited.stream().map(a -> a.path("eventId").asText()).distinct())
                .hasSize(OUTAGE_COMMANDS);
        List<JsonNode> oldestFirst = new ArrayList<>(audited);
        Collections.reverse(oldestFirst); // the API lists newest first
        assertThat(oldestFirst.stream()
                        .map(a -> a.path("payload").path("execId").asText())
                        .toList())
                .as("audited in the order the commands ran")
                .containsExactlyElementsOf(execIds);
        List<Instant> occurred = oldestFirst.stream()
                .map(a -> Instant.parse(a.path("occurredAt").asText()))
                .toList();
        assertThat(occurred).as("occurredAt").isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < OUTAGE_COMMANDS; i++) {
            assertThat(oldestFirst.get(i).path("payload").path("command").asText())
                    .isEqualTo("echo step-" + (i + 1));
            assertThat(oldestFirst.get(i).path("payload").path("exitCode").asInt(-1))
                    .isZero();
        }
        // The host's hash chain: each event linked once, in run order, and intact.
        String host = oldestFirst.get(0).path("host").asText();
        List<Long> sequence =
                oldestFirst.stream().map(a -> a.path("sequence").asLong()).toList();
        System.out.println("chain sequence of the spooled commands, in run order: " + sequence);
        assertThat(sequence)
                .as("chain sequence")
                .doesNotHaveDuplicates()
                .doesNotContain(0L)
                .isSorted();
        JsonNode chain =
                cli.ok("alice", "--json", "audit", "verify", "--host", host).json();
        assertThat(chain.path("ok").asBoolean()).as(chain.toString()).isTrue();

        // On the topics themselves, read from the beginning by a plain consumer: each event once, in run order.
        List<PlatformTopics.Published> audits = topics.published(Topics.AUDIT_EVENTS).stream()
                .filter(r -> id.equals(r.data().path("crqId").asText())
                        && AuditCaptured.KIND_EXEC.equals(r.data().path("kind").asText()))
                .toList();
        assertThat(audits.stream()
                        .map(r -> r.data().path("payload").path("execId").asText())
                        .toList())
                .as("AuditCaptured on " + Topics.AUDIT_EVENTS + ": " + audits)
                .containsExactlyElementsOf(execIds);
        assertThat(audits.stream().map(PlatformTopics.Published::eventId).distinct())
                .hasSize(OUTAGE_COMMANDS);
        assertThat(audits.stream().map(PlatformTopics.Published::eventId).toList())
                .containsExactlyInAnyOrderElementsOf(
                        audited.stream().map(a -> a.path("eventId").asText()).toList());
        assertThat(audits.stream().map(PlatformTopics.Published::partition).distinct())
                .as("one partition: keyed by host")
                .hasSize(1);

        List<PlatformTopics.Published> finished = topics.published(Topics.EXEC_EVENTS).stream()
                .filter(r -> id.equals(r.data().path("crqId").asText()))
                .toList();
        assertThat(finished.stream().map(r -> r.data().path("execId").asText()).toList())
                .as("ExecFinished on " + Topics.EXEC_EVENTS + ": " + finished)
                .containsExactlyElementsOf(execIds);
        assertThat(finished.stream().map(PlatformTopics.Published::eventId).distinct())
                .hasSize(OUTAGE_COMMANDS);

        // And the platform is whole again: every service healthy, and Kafka carries new work end to end.
        for (ServiceSpec spec : ServiceSpec.ALL) {
            awaitHealthy(spec.name(), Duration.ofSeconds(60));
        }
        Cli.Result after = cli.as(
                "alice", "exec", "--crq", id, "--session", "outage", "--pane", "steps", "--", "echo", "after-outage");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        await(
                "a command run after the outage is audited",
                PATIENCE,
                () -> auditedExecs(id).size() == OUTAGE_COMMANDS + 1);
    }

    /** The exec audit records of a CRQ, as audit-collector's API lists them (newest first). */
    @Test
    @Order(5)
    void aLaunchProfileRunsInTheCrqsWorktreeKnowingTheCrqFromCrqServicesEvents() throws Exception {
        String id = demo.newSubmittedCrq("alice", "Launch from profile");
        Cli.Result[] launched = new Cli.Result[1];
        // exec-agent knows the CRQ once crq-service's CrqCreated reached it; before, the launch is refused (404).
        await("exec-agent knows the CRQ and runs the launch", PATIENCE, () -> {
            launched[0] = cli.as(
                    "alice",
                    "launch",
                    "shell",
                    "--crq",
                    id,
                    "--wait",
                    "--",
                    "-c",
                    "echo \"title=$GITCRQ_CRQ_TITLE on $(git rev-parse --abbrev-ref HEAD)\"");
            return !launched[0].err().contains("is not known");
        });
        assertThat(launched[0].exitCode()).as(launched[0].toString()).isZero();
        java.util.regex.Matcher launchedExec =
                java.util.regex.Pattern.compile("exec (\\S+) (FINISHED|FAILED)").matcher(launched[0].out());
        assertThat(launchedExec.find()).as(launched[0].toString()).isTrue();
        assertThat(execLog(launchedExec.group(1)))
                .contains("title=Launch from profile on feature/" + id + "-launch-from-profile");
        // Its window closed once the tool ended: no idle shell is left behind.
        assertThat(tmuxPane(id + ":shell")).doesNotContain("title=");
        assertThat(git(bare, "branch", "--list", "feature/" + id + "-launch-from-profile"))
                .isNotBlank();
        await("the launch is in the CRQ's audit trail", PATIENCE, () -> {
            for (JsonNode item :
                    cli.ok("alice", "--json", "audit", "--crq", id).json().path("items")) {
                if ("launch".equals(item.path("kind").asText())
                        && "shell".equals(item.path("payload").path("profile").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    @Order(6)
    void aGracefulStopOfMergeBotDuringABurstOfApprovalsLosesNoneAndDeadLettersNone() throws Exception {
        // Branches of CRQs crq-service never numbered (9001…): their approvals are sent as crq-service sends them.
        List<String> crqs = new ArrayList<>();
        Map<String, String> heads = new HashMap<>();
        git(clone, "fetch", "-q", "origin");
        for (int i = 0; i < BURST; i++) {
            String id = "CRQ-" + (9001 + i);
            String branch = "feature/" + id + "-burst";
            git(clone, "checkout", "-q", "-b", branch, "origin/main");
            Files.writeString(clone.resolve("burst-" + i + ".txt"), id + "\n");
            git(clone, "add", ".");
            git(clone, "commit", "-q", "-m", id + ": burst " + i);
            heads.put(id, git(clone, "rev-parse", "HEAD"));
            crqs.add(id);
        }
        List<String> push = new ArrayList<>(List.of("push", "-q", "origin"));
        crqs.forEach(id -> push.add("feature/" + id + "-burst"));
        git(clone, push.toArray(String[]::new));
        topics.awaitPublished(
                Topics.GIT_EVENTS,
                r -> r.eventType().equals(EventType.BRANCH_CREATED.ceType())
                        && ("feature/" + crqs.get(BURST - 1) + "-burst")
                                .equals(r.data().path("branch").asText()));
        topics.awaitConsumed("merge-bot", Topics.GIT_EVENTS);

        try (CrqEvents events = new CrqEvents(platform)) {
            for (String id : crqs) {
                events.send(new CrqCreated(id, "Burst " + id, "burst", "alice", "demo", "main", Instant.now()));
                events.send(new CrqStatusChanged(id, "DRAFT", "SUBMITTED", "alice", null, Instant.now()));
                events.send(new CrqStatusChanged(id, "SUBMITTED", "APPROVED", "bob", "burst", Instant.now()));
                events.send(new CrqApproved(id, "bob", "alice", "demo", "main", Instant.now(), heads.get(id)));
            }
        }
        // Stopped (SIGTERM, as Kubernetes stops a pod) once the burst is being merged.
        topics.awaitPublished(
                Topics.MERGE_EVENTS,
                r -> r.eventType().equals(EventType.BRANCH_MERGED.ceType())
                        && crqs.contains(r.data().path("crqId").asText()));
        platform.stop("merge-bot", false);
        platform.start("merge-bot");
        platform.awaitReady("merge-bot", Duration.ofMinutes(3));

        await("every approval of the burst is merged", PATIENCE, () -> {
            try {
                return topics.published(Topics.MERGE_EVENTS).stream()
                                .filter(r -> r.eventType().equals(EventType.BRANCH_MERGED.ceType()))
                                .map(r -> r.data().path("crqId").asText())
                                .filter(crqs::contains)
                                .distinct()
                                .count()
                        == BURST;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        topics.awaitConsumed("merge-bot", Topics.CRQ_EVENTS, Topics.GIT_EVENTS, Topics.MERGE_EVENTS);
        for (String id : crqs) {
            assertThat(git(bare, "log", "main", "--merges", "--format=%H", "--grep", "CRQ: " + id + "$")
                            .lines()
                            .count())
                    .as("merge commits of %s", id)
                    .isEqualTo(1);
        }
        assertThat(topics.published(Topics.deadLetter("merge-bot")).stream()
                        .map(r -> r.data().path("crqId").asText())
                        .filter(crqs::contains))
                .as("approvals dead-lettered by the stop")
                .isEmpty();
    }

    /** Sends CRQ events as crq-service does (its principal, its envelope, keyed by CRQ). */
    /**
     * The platform under faults, each during a burst of approvals and commands ({@link FaultHarness}), on the
     * journey's platform once its tests are done: each service stopped gracefully in turn (a rolling deployment),
     * each service killed in turn, the broker killed, every database connection cut, exec-agent killed right after it accepted 200 commands.
     * After each, the ledger must hold: every approval merged exactly once, every command ended truthfully and audited
     * exactly once in an intact chain, nothing dead-lettered during the round.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class UnderFaults {

        private static final int APPROVALS = 6;
        private static final int COMMANDS = 8;
        /** Between the approvals and commands of a burst that goes on while services restart one by one. */
        private static final Duration PACE = Duration.ofSeconds(5);

        private FaultHarness harness;

        @BeforeAll
        void harness() {
            harness = new FaultHarness(demo);
        }

        /**
         * A rolling deployment: each service stopped gracefully (SIGTERM, as Kubernetes stops a pod) and started
         * again, one after another, while approvals and commands keep coming (one of each every few seconds, commands
         * until the last service is back).
         */
        @Test
        @Order(1)
        void eachServiceStoppedGracefullyInTurnDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
            harness.survives("sigterm", 2 * APPROVALS, COMMANDS, PACE, () -> harness.restartEachServiceInTurn(false));
        }

        /**
         * Each service killed (SIGKILL: no shutdown hook, uncommitted offsets, an outbox batch perhaps half relayed)
         * and started again, one after another, while the others go on working through the same kind of burst.
         */
        @Test
        @Order(2)
        void eachServiceKilledInTurnDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
            harness.survives("sigkill", 2 * APPROVALS, COMMANDS, PACE, () -> harness.restartEachServiceInTurn(true));
        }

        @Test
        @Order(3)
        void aBrokerCrashDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
            harness.survives("broker", APPROVALS, COMMANDS, harness::crashTheBroker);
        }

        @Test
        @Order(4)
        void everyDatabaseConnectionCutDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
            harness.survives(
                    "dbcut",
                    APPROVALS,
                    COMMANDS,
                    () -> assertThat(harness.cutDatabaseConnections())
                            .as("connections cut")
                            .isPositive());
        }

        /**
         * exec-agent killed the moment it has accepted 200 commands, most of them still starting or their ends not
         * yet published: after its restart each one ends truthfully (ran, with its exit code; or failed, saying why)
         * and is audited once, and nothing is dead-lettered.
         */
        @Test
        @Order(5)
        void execAgentKilledRightAfter200AcceptedCommandsEndsEachOfThemTruthfully() throws Exception {
            FaultHarness.Round round = harness.prepare("accepted", 0, 200).start();
            round.awaitAccepted(200);
            harness.restart("exec-agent", true);
            round.checkLedger();
        }
    }

    private static final class CrqEvents implements AutoCloseable {
        private final org.apache.kafka.clients.producer.KafkaProducer<String, String> producer;

        CrqEvents(Platform platform) {
            Map<String, Object> config = new HashMap<>(platform.kafkaClientConfig(TopicAccess.CRQ_SERVICE));
            config.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
            config.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
            producer = new org.apache.kafka.clients.producer.KafkaProducer<>(config);
        }

        void send(DomainEvent event) throws Exception {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            Topics.CRQ_EVENTS,
                            event.partitionKey(),
                            EventCodec.toJson(EventCodec.envelope("gitcrq/crq-service", event))))
                    .get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private List<JsonNode> auditedExecs(String id) {
        List<JsonNode> execs = new ArrayList<>();
        cli.ok("alice", "--json", "audit", "--crq", id, "--kind", AuditCaptured.KIND_EXEC, "--size", "500")
                .json()
                .path("items")
                .forEach(execs::add);
        return execs;
    }

    private String healthOf(String service, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.url(service) + path))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code /q/health} (liveness and readiness) to answer UP; fails with what it answered last. */
    private void awaitHealthy(String service, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        String health = healthOf(service, "/q/health");
        while (!health.startsWith("200 ")) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError(service + " not healthy within " + timeout + ": " + health + "; see "
                        + platform.logOf(service));
            }
            Thread.sleep(200);
            health = healthOf(service, "/q/health");
        }
        System.out.println(service + " healthy (waited "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms): " + health);
    }

    /** What the outbox relay of a service last failed on, from its readiness check ("null": nothing yet). */
    private String relayLastError(String service) {
        String health = healthOf(service, "/q/health/ready");
        try {
            JsonNode checks = new ObjectMapper()
                    .readTree(health.substring(health.indexOf(' ') + 1))
                    .path("checks");
            for (JsonNode check : checks) {
                if ("outbox-relay".equals(check.path("name").asText())) {
                    return check.path("data").path("lastError").asText();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("unreadable health of " + service + ": " + health, e);
        }
        throw new AssertionError("no outbox-relay check in the health of " + service + ": " + health);
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private String execStatus(String execId) {
        return statusOf("exec-agent", "/execs/" + execId);
    }

    /** What an exec printed: its log, on the agent's host (this machine). */
    private String execLog(String execId) throws IOException {
        JsonNode view = viewOf("exec-agent", "/execs/" + execId);
        assertThat(view).as("exec " + execId).isNotNull();
        return Files.readString(Path.of(view.path("logPath").asText()));
    }

    private String crqStatus(String id) {
        return statusOf("crq-service", "/crqs/" + id);
    }

    /** The {@code status} of what a service shows at {@code path}, asked as bob; UNKNOWN while it has none (404). */
    private String statusOf(String service, String path) {
        JsonNode view = viewOf(service, path);
        return view == null ? "UNKNOWN" : view.path("status").asText(); // UNKNOWN: not consumed yet
    }

    /** What a service shows at {@code path}, asked as bob; null while it has none (404). */
    private JsonNode viewOf(String service, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.url(service) + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:bob".getBytes()))
                    .build();
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tmuxPane(String target) throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", "gitcrq-e2e-" + runId, "capture-pane", "-p", "-t", target)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Waits.until(what, timeout, Duration.ofMillis(50), condition);
    }
}
