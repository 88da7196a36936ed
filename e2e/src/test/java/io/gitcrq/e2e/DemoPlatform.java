package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.deploy.FreePorts;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.PlatformSettings;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.testsupport.git.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole platform as {@code ./gitcrq up} starts it (the broker and every service as processes from their jars, on
 * the machine's PostgreSQL and a tmux server of its own), with a watched repository {@code demo} (a bare repository
 * and a developer's clone of it) and the real CLI: what the end-to-end tests share.
 */
final class DemoPlatform implements AutoCloseable {

    final Path repoRoot = Path.of("..").toAbsolutePath().normalize();
    final String runId = UUID.randomUUID().toString().substring(0, 8);
    final Path work;
    final Platform platform;
    final Cli cli;
    /** The platform's topics, read as the broker's administrator. */
    final PlatformTopics topics;
    /** The watched repository, and a developer's clone of it. */
    final Path bare;

    final Path clone;

    private DemoPlatform(Map<String, String> overrides, boolean kafkaTls, int instances) throws IOException {
        work = Files.createTempDirectory("gitcrq-e2e-");
        bare = work.resolve("demo.git");
        clone = work.resolve("demo-work"); // TestRepository's clone of demo.git
        Map<String, String> config = new HashMap<>();
        config.put("gitcrq.git-watcher.poll-interval", "1s");
        // CRQs of repository demo are launched in worktrees of the watched repository.
        config.put("gitcrq.exec.projects.demo", bare.toString());
        config.putAll(overrides);
        platform = new Platform(new PlatformSettings(
                        repoRoot,
                        Path.of("target", "e2e-run-" + runId).toAbsolutePath(),
                        FreePorts.one(),
                        FreePorts.range(instances * ServiceSpec.portsPerInstance()),
                        "e2e_" + runId + "_",
                        "gitcrq-e2e-" + runId,
                        Map.copyOf(config))
                .withKafkaTls(kafkaTls)
                .withInstances(instances));
        cli = new Cli(repoRoot, platform);
        topics = new PlatformTopics(platform, Duration.ofMinutes(2));
    }

    /** Starts it all (with {@code overrides} of the services' configuration) and watches repository demo. */
    static DemoPlatform start(Map<String, String> overrides) throws IOException {
        return start(overrides, false, 1);
    }

    /** The same, its broker taking SASL over TLS only ({@code GITCRQ_KAFKA_TLS=1 ./gitcrq up}). */
    static DemoPlatform startWithKafkaTls(Map<String, String> overrides) throws IOException {
        return start(overrides, true, 1);
    }

    /** The same with {@code instances} instances of each service that scales ({@code ./gitcrq up --instances N}). */
    static DemoPlatform startWithInstances(Map<String, String> overrides, int instances) throws IOException {
        return start(overrides, false, instances);
    }

    private static DemoPlatform start(Map<String, String> overrides, boolean kafkaTls, int instances)
            throws IOException {
        DemoPlatform demo = new DemoPlatform(overrides, kafkaTls, instances);
        Runtime.getRuntime().addShutdownHook(new Thread(demo.platform::close));
        try {
            demo.platform.startAll(Duration.ofMinutes(4));
            TestRepository.create(demo.work, "demo");
            demo.cli.ok("alice", "repo", "watch", demo.bare.toString(), "--name", "demo");
        } catch (RuntimeException | Error e) {
            demo.close(); // what did start, with its databases: the caller never gets the platform to close
            throw e;
        }
        return demo;
    }

    String url(String service) {
        return platform.url(service);
    }

    /** A CRQ of repository demo created and submitted by {@code user}; its id. */
    String newSubmittedCrq(String user, String title) {
        String id = newCrq(user, title);
        cli.ok(user, "crq", "submit", id);
        return id;
    }

    /** A CRQ of repository demo created (DRAFT) by {@code user}; its id. */
    String newCrq(String user, String title) {
        String id = cli.ok(
                        user,
                        "--json",
                        "crq",
                        "create",
                        "--title",
                        title,
                        "--description",
                        "e2e: " + title,
                        "--repo",
                        "demo")
                .json()
                .path("id")
                .asText();
        assertThat(id).startsWith("CRQ-");
        return id;
    }

    /** The CRQ's feature branch, started by alice; its name. */
    String startBranch(String id, String description) {
        String out = cli.ok("alice", "branch", "start", id, "--type", "feature", "--desc", description)
                .out();
        return Arrays.stream(out.split("\\s+"))
                .filter(w -> w.startsWith("feature/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no branch name in: " + out));
    }

    /** A commit of {@code file} on {@code branch} in the clone, pushed; its id. */
    String commitAndPush(String branch, String file, String content, String message) throws IOException {
        git(clone, "fetch", "-q", "origin");
        if (!git(clone, "branch", "--list", branch).isEmpty()) {
            git(clone, "checkout", "-q", branch);
        } else {
            git(clone, "checkout", "-q", "-b", branch, "origin/" + branch);
        }
        Files.writeString(clone.resolve(file), content + "\n");
        git(clone, "add", file);
        git(clone, "commit", "-q", "-m", message);
        git(clone, "push", "-q", "origin", branch);
        return git(clone, "rev-parse", "HEAD");
    }

    @Override
    public void close() {
        platform.close();
        platform.stopTmuxServer();
        platform.dropDatabases();
    }
}
