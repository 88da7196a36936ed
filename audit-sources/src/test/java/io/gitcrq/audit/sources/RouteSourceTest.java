package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routes change only inside a network namespace the test creates and deletes. */
@Timeout(60)
class RouteSourceTest {

    private final String netns = "gitcrq-test-" + UUID.randomUUID().toString().substring(0, 8);

    static void ip(String... args) throws Exception {
        Process p = new ProcessBuilder(List.of(args)).inheritIO().start();
        try {
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @BeforeEach
    void createNetns() throws Exception {
        ip("ip", "netns", "add", netns);
        ip("ip", "-n", netns, "link", "set", "lo", "up");
    }

    @AfterEach
    void deleteNetns() throws Exception {
        ip("ip", "netns", "del", netns);
    }

    @Test
    void routeAddedAndDeletedInsideTheNamespace() throws Exception {
        Recorder rec = new Recorder();
        RouteSource src = new RouteSource();
        SourceCounters c;
        try {
            src.start(AuditTarget.none().withNetns(netns), rec);
            ip("ip", "-n", netns, "route", "add", "10.98.0.0/24", "dev", "lo", "table", "100");
            ip("ip", "-n", netns, "route", "del", "10.98.0.0/24", "dev", "lo", "table", "100");
            assertThat(rec.await(
                            l -> l.stream()
                                            .filter(r -> "10.98.0.0/24"
                                                    .equals(r.payload().get("destination")))
                                            .count()
                                    >= 2,
                            Duration.ofSeconds(10)))
                    .as(rec.toString())
                    .isTrue();
        } finally {
            c = src.stop();
        }
        Summaries.check(rec, "route", c);
        List<AuditRecord> mine = rec.of("route").stream()
                .filter(r -> "10.98.0.0/24".equals(r.payload().get("destination")))
                .toList();
        assertThat(mine).hasSize(2);
        assertThat(mine.get(0).payload())
                .containsEntry("action", "added")
                .containsEntry("device", "lo")
                .containsEntry("table", "100")
                .containsEntry("netns", netns);
        assertThat(mine.get(1).payload())
                .containsEntry("action", "deleted")
                .containsEntry("device", "lo")
                .containsEntry("table", "100");
        assertThat(rec.summary("route").payload()).containsEntry("dropped", 0L).containsEntry("netlinkDrops", 0L);
    }
}
