package io.gitcrq.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a stopped platform leaves behind and {@code ./gitcrq down --purge} removes: each service's database with its
 * replication slot (a slot nobody reads holds PostgreSQL's WAL without limit), the tmux server of its panes and the run
 * directory (logs, Kafka data, keys, credentials). Through {@code psql}, as the operator would.
 */
final class PlatformPurge {

    /** A database name made of our prefix and a service's: quoted all the same, but never anything else. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]+");

    private final PlatformSettings settings;
    private final String dbHost;
    private final String dbUser;

    PlatformPurge(PlatformSettings settings, String dbHost, String dbUser) {
        this.settings = settings;
        this.dbHost = dbHost;
        this.dbUser = dbUser;
    }

    /** The tmux server of the platform's panes; nothing when none runs. */
    static void stopTmuxServer(PlatformSettings settings) {
        run(List.of("tmux", "-L", settings.tmuxSocket(), "kill-server"));
    }

    /** Removes databases and slots, the tmux server and the run directory; says what it removed. */
    List<String> purge() throws IOException {
        List<String> removed = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String database = settings.databasePrefix() + spec.database();
            if (!DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("not a gitcrq database name: " + database);
            }
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + database
                    + "' AND NOT active");
            psql("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            removed.add("database " + database + " and its replication slots");
        }
        stopTmuxServer(settings);
        removed.add("tmux server " + settings.tmuxSocket());
        if (Files.exists(settings.runDir())) {
            deleteTree(settings.runDir());
            removed.add("run directory " + settings.runDir());
        }
        return removed;
    }

    private void psql(String sql) {
        int rc = run(List.of("psql", "-h", dbHost, "-U", dbUser, "-d", "postgres", "-qAtc", sql));
        if (rc != 0) {
            throw new IllegalStateException("psql failed (exit " + rc + ") on: " + sql);
        }
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
