package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real PostgreSQL every machine of ours runs (127.0.0.1, wal_level=logical). */
class PlatformPurgeTest {

    @TempDir
    Path dir;

    @Test
    void purgeRemovesTheDatabasesTheirSlotsAndTheRunDirectory() throws Exception {
        String prefix = "purge_" + UUID.randomUUID().toString().substring(0, 8) + "_";
        PlatformSettings settings =
                new PlatformSettings(dir, dir.resolve("run"), 1, 2, prefix, "gitcrq-purge-" + prefix, Map.of());
        Files.createDirectories(settings.runDir().resolve("logs"));
        Files.writeString(settings.runDir().resolve("logs/crq-service.log"), "log\n");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            psql("postgres", "CREATE DATABASE \"" + prefix + spec.database() + "\"");
        }
        String slot = prefix + "slot";
        psql(prefix + "crq", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        assertThat(psql("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("1");

        List<String> removed = new PlatformPurge(settings, "127.0.0.1", "postgres").purge();

        assertThat(removed).contains("database " + prefix + "crq and its replication slots");
        assertThat(psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '" + prefix + "%'"))
                .isEqualTo("0");
        assertThat(psql("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("0");
        assertThat(settings.runDir()).doesNotExist();
    }

    private static String psql(String database, String sql) throws Exception {
        Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAtc", sql)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
