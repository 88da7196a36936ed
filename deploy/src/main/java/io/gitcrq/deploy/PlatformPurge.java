package io.gitcrq.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a stopped platform leaves behind and {@code ./gitcrq down --purge} removes: each service's database with its
 * replication slot (a slot nobody reads holds PostgreSQL's WAL without limit), the tmux server of its panes and the run
 * directory (logs, Kafka data, keys, credentials). Through {@code psql}, as the operator would. The one place that
 * removes a platform's databases: {@link Platform#dropDatabases()} (the end-to-end tests, the benchmarks) comes here.
 */
final class PlatformPurge {

    /** A database name made of our prefix and a service's: quoted all the same, but never anything else. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]+");

    /** How long a slot of a stopped service may stay active before its database is dropped all the same. */
    private static final Duration SLOT_RELEASE_WAIT = Duration.ofSeconds(30);

    private final PlatformSettings settings;
    private final String dbUser;

    PlatformPurge(PlatformSettings settings, String dbUser) {
        this.settings = settings;
        this.dbUser = dbUser;
    }

    /** The tmux server of the platform's panes; nothing when none runs. */
    static void stopTmuxServer(PlatformSettings settings) {
        run(List.of("tmux", "-L", settings.tmuxSocket(), "kill-server"));
    }

    /** Removes databases and slots, the tmux server and the run directory; says what it removed. */
    List<String> purge() throws IOException {
        List<String> removed = new ArrayList<>(dropDatabases());
        stopTmuxServer(settings);
        removed.add("tmux server " + settings.tmuxSocket());
        if (Files.exists(settings.runDir())) {
            deleteTree(settings.runDir());
            removed.add("run directory " + settings.runDir());
        }
        return removed;
    }

    /**
     * Drops each service's database with its replication slots from the machine's server (an embedded server's
     * live in its data directory, under the run directory, and go with it); says what it removed. The platform's
     * services must have stopped: a slot a service still reads is not dropped, and its database then cannot be.
     */
    List<String> dropDatabases() {
        List<String> removed = new ArrayList<>();
        if (settings.database().embedded()) {
            return removed;
        }
        for (ServiceSpec spec : ServiceSpec.WITH_DATABASE) {
            String database = settings.databasePrefix() + spec.database();
            if (!DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("not a gitcrq database name: " + database);
            }
            awaitSlotsReleased(database);
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + database
                    + "' AND NOT active");
            psql("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            removed.add("database " + database + " and its replication slots");
        }
        return removed;
    }

    /**
     * A service that has just stopped may hold its slot a moment longer: its server process ends once it notices the
     * connection is gone.
     */
    private void awaitSlotsReleased(String database) {
        long deadline = System.nanoTime() + SLOT_RELEASE_WAIT.toNanos();
        while (!"0"
                        .equals(psql("SELECT count(*) FROM pg_replication_slots WHERE database = '" + database
                                + "' AND active"))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String psql(String sql) {
        return settings.database().query(dbUser, "postgres", sql);
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
