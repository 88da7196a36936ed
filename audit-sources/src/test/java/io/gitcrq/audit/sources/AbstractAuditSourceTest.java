package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.RouteChange;
import io.gitcrq.model.audit.RouteSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AbstractAuditSourceTest {

    @Test
    void fullQueueDropsAndCountsAndSummaryComesLast() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder rec = new Recorder();
        AbstractAuditSource src = new AbstractAuditSource("route", 2) {
            @Override
            protected void doStart(AuditTarget target) {
                for (int i = 0; i < 10; i++) {
                    String destination = "10.0." + i + ".0/24";
                    emit(new RouteChange(
                            "added",
                            "unicast",
                            destination,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            "main",
                            null,
                            destination));
                }
            }

            @Override
            protected AuditPayload summary(SourceCounters counters, String stopError, Long sinkFailures) {
                return new RouteSummary(
                        counters.seen(),
                        counters.captured(),
                        counters.dropped(),
                        counters.droppedBy(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        stopError,
                        sinkFailures);
            }

            @Override
            protected void doStop() {
                release.countDown();
            }
        };
        src.start(AuditTarget.none(), r -> {
            try {
                release.await(5, TimeUnit.SECONDS); // a slow consumer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rec.accept(r);
        });
        SourceCounters c = src.stop();
        assertThat(c.seen()).isEqualTo(10);
        assertThat(c.captured() + c.dropped()).isEqualTo(10);
        assertThat(c.dropped()).isGreaterThanOrEqualTo(7);
        assertThat(c.droppedBy()).containsExactly(java.util.Map.entry(SourceSummary.QUEUE_FULL, c.dropped()));
        assertThat(rec.of("route")).hasSize((int) c.captured());
        assertThat(rec.records.get(rec.records.size() - 1).kind()).isEqualTo("route.summary");
        assertThat(rec.summary("route").payload())
                .containsEntry("seen", 10L)
                .containsEntry("dropped", c.dropped())
                .containsEntry("droppedBy", java.util.Map.of(SourceSummary.QUEUE_FULL, c.dropped()))
                .doesNotContainKey("fellBehind");
        assertThat(src.stop()).isEqualTo(c); // idempotent
    }

    @Test
    void factoryKnowsEveryKindAndNamesMissingPackages() {
        for (String kind : AuditSources.KINDS) {
            assertThat(AuditSources.create(kind, java.nio.file.Path.of("/tmp")).kind())
                    .isEqualTo(kind);
        }
        assertThat(AuditSources.unavailable("http")).isEmpty();
        assertThat(AuditSources.unavailable("nope")).isPresent();
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> AuditSources.create("nope", java.nio.file.Path.of("/tmp")));
    }
}
