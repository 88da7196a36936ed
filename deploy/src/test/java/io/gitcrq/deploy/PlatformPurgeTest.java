package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real PostgreSQL every machine of ours runs (127.0.0.1 unless GITCRQ_DB_HOST says, wal_level=logical). */
class PlatformPurgeTest {

    private static final DatabaseServer MACHINE =
            new PlatformSettings(Path.of("."), Path.of("run"), 1, 2, "x_", "x", Map.of()).database();

    @TempDir
    Path dir;

    private final String prefix = "purge_" + UUID.randomUUID().toString().substring(0, 8) + "_";
    private final String slot = prefix + "slot";

    @Test
    void purgeRemovesTheDatabasesTheirSlotsAndTheRunDirectory() throws Exception {
        PlatformSettings settings = settingsWithLogs();
        Files.writeString(settings.runDir().resolve("logs/crq-service.log"), "log\n");
        for (ServiceSpec spec : ServiceSpec.WITH_DATABASE) {
            psql("postgres", "CREATE DATABASE \"" + prefix + spec.database() + "\"");
        }
        psql(prefix + "crq", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        assertThat(psql("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("1");

        List<String> removed = new PlatformPurge(settings, "postgres").purge();

        assertThat(removed).contains("database " + prefix + "crq and its replication slots");
        assertDatabasesAndSlotGone();
        assertThat(settings.runDir()).doesNotExist();
    }

    @Test
    void aPlatformDropsItsDatabasesAndSlotsButKeepsItsRunDirectory() throws Exception {
        PlatformSettings settings = settingsWithLogs();
        psql("postgres", "CREATE DATABASE \"" + prefix + "execagent\"");
        psql(prefix + "execagent", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");

        List<String> removed = new Platform(settings).dropDatabases();

        assertThat(removed)
                .hasSize(ServiceSpec.ALL.size())
                .contains("database " + prefix + "execagent and its replication slots");
        assertDatabasesAndSlotGone();
        assertThat(settings.runDir().resolve("logs")).isDirectory();
    }

    /** A platform of this test's prefix whose run directory holds a log directory. */
    private PlatformSettings settingsWithLogs() throws Exception {
        PlatformSettings settings =
                new PlatformSettings(dir, dir.resolve("run"), 1, 2, prefix, "gitcrq-purge-" + prefix, Map.of());
        Files.createDirectories(settings.runDir().resolve("logs"));
        return settings;
    }

    private void assertDatabasesAndSlotGone() {
        assertThat(psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '" + prefix + "%'"))
                .isEqualTo("0");
        assertThat(psql("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("0");
    }

    /** On the server the settings name: the machine's ({@code GITCRQ_DB_HOST}, {@code GITCRQ_DB_PORT}). */
    private static String psql(String database, String sql) {
        return MACHINE.query(DatabaseServer.user(), database, sql);
    }
}
