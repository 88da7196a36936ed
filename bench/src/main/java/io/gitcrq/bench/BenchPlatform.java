package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.deleteTree;

import io.gitcrq.deploy.DatabaseServer;
import io.gitcrq.deploy.EmbeddedPostgresMain;
import io.gitcrq.deploy.FreePorts;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.PlatformSettings;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.kit.signing.SigningKeyFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real platform a benchmark runs on (the broker and the services it names, as processes from their jars, each
 * on a fresh database): stopped with its databases dropped when the bench ends, or is interrupted. The bench's work
 * directory goes after a run that {@link #succeeded}; after a failed one it stays, with the services' logs. A service
 * may keep its database on a PostgreSQL server of its own, started for the bench and removed with it: exec-agent runs
 * on a dev host, beside that host's PostgreSQL, never on the central server that keeps audit-collector's rows.
 */
final class BenchPlatform implements AutoCloseable {

    private final String bench;
    private final Path work;
    private final Thread hook = new Thread(this::stop);
    private Platform platform;
    /** The servers started for services that keep their databases apart, stopped after the services. */
    private final List<EmbeddedPostgres> ownServers = new ArrayList<>();

    private boolean succeeded;

    private BenchPlatform(String bench, Path work, Platform platform) {
        this.bench = bench;
        this.work = work;
        this.platform = platform;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the broker, then {@code services}, and waits until they are ready; {@code properties} go to each, and the
     * databases of {@code apart} (some of {@code services}) are each on a PostgreSQL server of its own (the platform's
     * embedded server's settings, on a free port).
     */
    static BenchPlatform start(
            String bench,
            Path repoRoot,
            Path work,
            String runId,
            List<String> services,
            Map<String, String> properties,
            List<String> apart) {
        int firstPort = FreePorts.range(ServiceSpec.portsPerInstance());
        BenchPlatform started = new BenchPlatform(
                bench,
                work,
                new Platform(new PlatformSettings(
                        repoRoot,
                        work.resolve("run"),
                        FreePorts.one(),
                        firstPort,
                        "bench_" + runId + "_",
                        "gitcrq-bench-" + runId,
                        properties)));
        Platform platform = started.platform;
        try {
            long t = System.nanoTime();
            for (String service : apart) {
                EmbeddedPostgres server =
                        EmbeddedPostgresMain.server(FreePorts.one()).start();
                started.ownServers.add(server);
                platform.placeDatabase(service, DatabaseServer.external("127.0.0.1", server.getPort()));
            }
            platform.startBroker(Duration.ofMinutes(3));
            if (services.contains("exec-agent") && !services.contains("crq-service")) {
                // exec-agent trusts crq-service's exec grant key from its start; without crq-service (P1) the
                // bench makes that key pair where crq-service would, and nothing here signs a grant with it.
                new SigningKeyFile(platform.execGrantKey()).loadOrCreate();
            }
            services.forEach(platform::start);
            for (String s : services) {
                platform.awaitReady(s, Duration.ofMinutes(4));
            }
            System.out.printf(
                    Locale.ROOT,
                    "  platform up (broker, %s) in %.1f s; logs in %s%n",
                    String.join(", ", services),
                    (System.nanoTime() - t) / 1e9,
                    platform.settings().logDir());
            return started;
        } catch (IOException e) {
            started.close();
            throw new UncheckedIOException("cannot start a PostgreSQL server for " + apart, e);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    Platform platform() {
        return platform;
    }

    /** The bench got its figures: its files may go. */
    void succeeded() {
        succeeded = true;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (or ran): nothing to remove
        }
        if (succeeded) {
            try {
                deleteTree(work);
            } catch (java.io.IOException e) {
                System.err.println("could not remove " + work + ": " + e.getMessage());
            }
        } else {
            System.err.println(bench + " failed; service logs kept in " + work.resolve("run/logs"));
        }
    }

    private synchronized void stop() {
        if (platform == null) {
            return;
        }
        platform.close();
        platform.dropDatabases();
        platform = null;
        for (EmbeddedPostgres server : ownServers) {
            try {
                server.close(); // its data directory with it
            } catch (IOException e) {
                System.err.println("a bench's own PostgreSQL server did not stop cleanly: " + e.getMessage());
            }
        }
        ownServers.clear();
    }
}
