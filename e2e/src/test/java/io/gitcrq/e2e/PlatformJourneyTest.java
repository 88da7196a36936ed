package io.gitcrq.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.deploy.FreePorts;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.PlatformSettings;
import io.gitcrq.deploy.ServiceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform as a user meets it: the broker and the five services as separate processes started from
 * their runnable jars, driven through the real CLI jar and real git, on real PostgreSQL and tmux.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformJourneyTest {

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Path repoRoot = Path.of("..").toAbsolutePath().normalize();
    private Path work;
    private Platform platform;
    private Cli cli;
    private Path bare;
    private Path clone;

    @BeforeAll
    void startPlatform() throws IOException {
        work = Files.createTempDirectory("gitcrq-e2e-");
        int kafkaPort = FreePorts.one();
        int firstServicePort = FreePorts.range(ServiceSpec.ALL.size());
        platform = new Platform(new PlatformSettings(repoRoot, Path.of("target", "e2e-run-" + runId).toAbsolutePath(),
                kafkaPort, firstServicePort, "e2e_" + runId + "_", "gitcrq-e2e-" + runId,
                Map.of("gitcrq.git-watcher.poll-interval", "1s")));
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
        platform.startAll(Duration.ofMinutes(4));
        cli = new Cli(repoRoot, platform);

        bare = work.resolve("demo.git");
        Files.createDirectories(bare);
        Git.run(bare, "init", "--bare", "-b", "main");
        clone = work.resolve("clone");
        Git.run(work, "clone", bare.toString(), clone.toString());
        Files.writeString(clone.resolve("README.md"), "demo\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "commit", "-m", "initial import");
        Git.run(clone, "push", "origin", "main");
        cli.ok("alice", "repo", "watch", bare.toString(), "--name", "demo");
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        new ProcessBuilder("tmux", "-L", "gitcrq-e2e-" + runId, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
        dropDatabases();
    }

    @Test
    @Order(1)
    void aChangeGoesFromRequestToAutomaticMergeAndItsCommandsAreAudited() throws Exception {
        String id = newSubmittedCrq("alice", "Login timeout");
        String branch = startBranch(id, "login timeout");
        assertThat(branch).isEqualTo("feature/" + id + "-login-timeout");
        String commit = commitAndPush(branch, "timeout.txt", "30 min", id + ": raise login timeout");

        await("the CRQ shows its commit", Duration.ofSeconds(30), () ->
                cli.ok("alice", "--json", "crq", "show", id).json().path("links").path("commits").toString().contains(commit));

        String mainBefore = Git.run(bare, "rev-parse", "main");
        cli.ok("bob", "crq", "approve", id, "--reason", "four eyes");
        long approvedAt = System.nanoTime();
        // Measured with git and one HTTP call, not the CLI: a CLI JVM per check would time the check itself.
        await("main holds the merge commit and the CRQ is closed", Duration.ofSeconds(5), () ->
                !Git.run(bare, "rev-parse", "main").equals(mainBefore) && "CLOSED".equals(crqStatus(id)));
        Duration latency = Duration.ofNanos(System.nanoTime() - approvedAt);
        System.out.println("approval -> merge commit on main and CRQ CLOSED: " + latency.toMillis() + " ms");
        assertThat(latency).isLessThanOrEqualTo(Duration.ofSeconds(5));
        String merge = Git.run(bare, "rev-parse", "main");
        assertThat(Git.run(bare, "rev-list", "--parents", "-n", "1", merge).split(" ")).contains(mainBefore, commit);
        assertThat(Git.run(bare, "log", "-1", "--format=%B", merge)).contains(id);
        JsonNode crq = cli.ok("bob", "--json", "crq", "show", id).json();
        assertThat(crq.path("history").findValuesAsText("to")).contains("MERGED", "CLOSED");

        Cli.Result exec = cli.as("alice", "exec", "--crq", id, "--session", "journey", "--pane", "work",
                "--branch", branch, "--", "sh", "-c", "echo journey-$((40+2)); exit 4");
        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(4);
        assertThat(tmuxPane("journey:work")).contains("journey-42");
        await("the audit trail of the CRQ shows the command and its exit code", Duration.ofSeconds(30), () -> {
            JsonNode items = cli.ok("alice", "--json", "audit", "--crq", id).json().path("items");
            for (JsonNode item : items) {
                if ("exec".equals(item.path("kind").asText()) && item.path("payload").path("exitCode").asInt() == 4
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
                .json().path("id").asText();
        Cli.Result approveDraft = cli.as("bob", "crq", "approve", draft);
        assertThat(approveDraft.exitCode()).isEqualTo(1);
        assertThat(approveDraft.err()).contains("409");

        String own = newSubmittedCrq("alice", "Self approval");
        Cli.Result selfApproval = cli.as("alice", "crq", "approve", own);
        assertThat(selfApproval.exitCode()).isEqualTo(1);
        assertThat(selfApproval.err()).containsIgnoringCase("forbidden");

        // A branch outside the naming policy is reported, through the API.
        Git.run(clone, "checkout", "-q", "-b", "wip/foo", "main");
        Files.writeString(clone.resolve("wip.txt"), "wip\n");
        Git.run(clone, "add", ".");
        Git.run(clone, "commit", "-m", own + ": wip");
        Git.run(clone, "push", "origin", "wip/foo");
        await("a PolicyViolation for wip/foo", Duration.ofSeconds(30), () ->
                cli.ok("admin", "--json", "repo", "violations", "--repo", "demo").out().contains("wip/foo"));

        // A CRQ whose branch carries another CRQ's commit is not merged, and says why.
        String mixed = newSubmittedCrq("dave", "Mixed branch");
        String branch = startBranch(mixed, "mixed work");
        commitAndPush(branch, "mine.txt", "mine", mixed + ": my part");
        commitAndPush(branch, "theirs.txt", "theirs", draft + ": somebody else's part");
        await("git-watcher saw the branch's commits", Duration.ofSeconds(30), () ->
                cli.ok("dave", "--json", "crq", "show", mixed).json().path("links").path("commits").size() == 1);
        String mainBefore = Git.run(bare, "rev-parse", "main");
        cli.ok("bob", "crq", "approve", mixed);
        await("the CRQ says why it is blocked", Duration.ofSeconds(30), () ->
                cli.ok("bob", "--json", "crq", "show", mixed).json().path("blockedReason").asText().contains(draft));
        assertThat(Git.run(bare, "rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(cli.ok("bob", "--json", "crq", "show", mixed).json().path("status").asText()).isEqualTo("APPROVED");
    }

    @Test
    @Order(3)
    void aServiceKilledMidJourneyLosesNoEventAndRepeatsNoMerge() throws Exception {
        String id = newSubmittedCrq("dave", "Survive a crash");
        String branch = startBranch(id, "survive crash");
        commitAndPush(branch, "crash.txt", "still here", id + ": survive a crash");
        await("the CRQ shows its commit", Duration.ofSeconds(30), () ->
                cli.ok("dave", "--json", "crq", "show", id).json().path("links").path("commits").size() == 1);

        platform.stop("merge-bot", true);
        cli.ok("bob", "crq", "approve", id);
        Thread.sleep(2000); // the approval waits on Kafka while merge-bot is down
        assertThat(cli.ok("bob", "--json", "crq", "show", id).json().path("status").asText()).isEqualTo("APPROVED");
        platform.start("merge-bot");
        platform.awaitReady("merge-bot", Duration.ofMinutes(3));
        await("the approval made while merge-bot was down is merged", Duration.ofSeconds(60), () ->
                "CLOSED".equals(cli.ok("bob", "--json", "crq", "show", id).json().path("status").asText()));

        // Kill it again right after the merge: whatever Kafka redelivers must not merge a second time.
        platform.stop("merge-bot", true);
        platform.start("merge-bot");
        platform.awaitReady("merge-bot", Duration.ofMinutes(3));
        Thread.sleep(3000);
        String merges = Git.run(bare, "log", "main", "--merges", "--format=%H %s%n%b", "--grep", id);
        assertThat(merges.lines().filter(l -> l.contains("Merge branch '" + branch + "'")).count()).isEqualTo(1);
    }

    private String crqStatus(String id) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.url("crq-service") + "/crqs/" + id))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:bob".getBytes()))
                    .build();
            String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("status").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String newSubmittedCrq(String user, String title) {
        String id = cli.ok(user, "--json", "crq", "create", "--title", title, "--description", "e2e: " + title,
                "--repo", "demo").json().path("id").asText();
        assertThat(id).startsWith("CRQ-");
        cli.ok(user, "crq", "submit", id);
        return id;
    }

    private String startBranch(String id, String description) {
        String out = cli.ok("alice", "branch", "start", id, "--type", "feature", "--desc", description).out();
        return Arrays.stream(out.split("\\s+")).filter(w -> w.startsWith("feature/")).findFirst()
                .orElseThrow(() -> new AssertionError("no branch name in: " + out));
    }

    private String commitAndPush(String branch, String file, String content, String message) throws IOException {
        Git.run(clone, "fetch", "-q", "origin");
        if (!Git.run(clone, "branch", "--list", branch).isEmpty()) {
            Git.run(clone, "checkout", "-q", branch);
        } else {
            Git.run(clone, "checkout", "-q", "-b", branch, "origin/" + branch);
        }
        Files.writeString(clone.resolve(file), content + "\n");
        Git.run(clone, "add", file);
        Git.run(clone, "commit", "-q", "-m", message);
        Git.run(clone, "push", "-q", "origin", branch);
        return Git.run(clone, "rev-parse", "HEAD");
    }

    private String tmuxPane(String target) throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", "gitcrq-e2e-" + runId, "capture-pane", "-p", "-t", target)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    private void dropDatabases() throws Exception {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String db = platform.database(spec);
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db + "'");
            psql("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
        }
    }

    private static void psql(String sql) throws Exception {
        new ProcessBuilder("psql", "-h", System.getenv().getOrDefault("GITCRQ_DB_HOST", "127.0.0.1"),
                "-U", System.getenv().getOrDefault("GITCRQ_DB_USER", "postgres"), "-d", "postgres", "-qc", sql)
                .inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
