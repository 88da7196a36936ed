package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.deploy.DatabaseServer;
import io.gitcrq.deploy.FreePorts;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.PlatformSettings;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gitcrq on a machine without a PostgreSQL server ({@code GITCRQ_DB=embedded ./gitcrq up}): the platform starts
 * PostgreSQL itself, the quickstart goes from request to merge on it, the machine's own server gets nothing, and the
 * data outlives a restart.
 */
class EmbeddedDatabaseIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "emb_" + runId + "_";
    private final Path repoRoot = Path.of("..").toAbsolutePath().normalize();
    private Platform platform;

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
            platform.stopTmuxServer();
        }
    }

    @Test
    void theQuickstartRunsOnTheEmbeddedServerAndTheMachinesServerGetsNothing() throws Exception {
        DatabaseServer embedded = DatabaseServer.embedded(FreePorts.one());
        PlatformSettings settings = new PlatformSettings(
                        repoRoot,
                        Path.of("target", "embedded-run-" + runId).toAbsolutePath(),
                        FreePorts.one(),
                        FreePorts.range(ServiceSpec.portsPerInstance()),
                        prefix,
                        "gitcrq-emb-" + runId,
                        Map.of("gitcrq.git-watcher.poll-interval", "1s"))
                .withDatabase(embedded);
        platform = new Platform(settings);
        platform.startAll(Duration.ofMinutes(5));
        Cli cli = new Cli(repoRoot, platform);

        Path work = Files.createTempDirectory("gitcrq-embedded-");
        TestRepository demo = TestRepository.create(work, "demo");
        Path bare = demo.bare();
        Path clone = demo.work();
        cli.ok("alice", "repo", "watch", bare.toString(), "--name", "demo");

        String id = cli.ok(
                        "alice",
                        "--json",
                        "crq",
                        "create",
                        "--title",
                        "Embedded",
                        "--description",
                        "on its own DB",
                        "--repo",
                        "demo")
                .json()
                .path("id")
                .asText();
        cli.ok("alice", "crq", "submit", id);
        String started = cli.ok("alice", "branch", "start", id, "--type", "feature", "--desc", "embedded")
                .out();
        String branch = Arrays.stream(started.split("\\s+"))
                .filter(w -> w.startsWith("feature/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no branch in: " + started));
        git(clone, "fetch", "-q", "origin");
        git(clone, "checkout", "-q", "-b", branch, "origin/" + branch);
        Files.writeString(clone.resolve("embedded.txt"), "yes\n");
        git(clone, "add", "embedded.txt");
        git(clone, "commit", "-q", "-m", id + ": on an embedded database");
        git(clone, "push", "-q", "origin", branch);
        String commit = git(clone, "rev-parse", "HEAD");
        await(
                "the CRQ shows its commit",
                () -> cli.ok("alice", "--json", "crq", "show", id)
                        .json()
                        .path("links")
                        .toString()
                        .contains(commit));
        String mainBefore = git(bare, "rev-parse", "main");
        cli.ok("bob", "crq", "approve", id, "--reason", "four eyes");
        await(
                "merged and closed",
                () -> !git(bare, "rev-parse", "main").equals(mainBefore)
                        && cli.ok("bob", "--json", "crq", "show", id)
                                .json()
                                .path("status")
                                .asText()
                                .equals("CLOSED"));

        Set<String> ours =
                ServiceSpec.WITH_DATABASE.stream().map(platform::database).collect(Collectors.toSet());
        assertThat(databases(embedded)).containsAll(ours);
        // (Other tests may make databases of their own there meanwhile: none of this platform's may be among them.)
        assertThat(databases(machine())).noneMatch(name -> name.startsWith(prefix));
        assertThat(query(
                        machine(),
                        "postgres",
                        "SELECT count(*) FROM pg_replication_slots WHERE database LIKE '" + prefix + "%'"))
                .isEqualTo("0");
        assertThat(query(embedded, "postgres", "SHOW wal_level")).isEqualTo("logical");
        // A commit is answered once its WAL is on disk (the embedded library's own default answers before).
        assertThat(query(embedded, "postgres", "SHOW synchronous_commit")).isEqualTo("on");

        // Its data lives under the run directory and outlives a restart.
        platform.close();
        platform = new Platform(settings);
        platform.startDatabase(Duration.ofMinutes(3));
        String crqDatabase = platform.database(ServiceSpec.named("crq-service"));
        long number = Long.parseLong(id.substring("CRQ-".length()));
        assertThat(query(embedded, crqDatabase, "SELECT status FROM change_request WHERE id = " + number))
                .isEqualTo("CLOSED");
    }

    private static DatabaseServer machine() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("GITCRQ_DB", "external");
        return DatabaseServer.choose(env);
    }

    private static Set<String> databases(DatabaseServer server) throws Exception {
        return Set.copyOf(List.of(
                query(server, "postgres", "SELECT datname FROM pg_database").split("\n")));
    }

    private static String query(DatabaseServer server, String database, String sql) {
        return server.query(DatabaseServer.user(), database, sql);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + PATIENCE + ": " + what);
    }
}
