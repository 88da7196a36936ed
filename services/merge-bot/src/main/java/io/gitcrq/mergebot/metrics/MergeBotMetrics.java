package io.gitcrq.mergebot.metrics;

import io.gitcrq.kit.metrics.StateGauges;
import io.gitcrq.mergebot.domain.QueueState;
import io.gitcrq.mergebot.repository.MergeQueueRepository;
import io.gitcrq.mergebot.service.MergeMeasurements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * merge-bot's metrics: the merge queues' length per state (measured every {@code gitcrq.metrics.refresh-interval}),
 * the time from an approval to its merge, and the CRQs blocked.
 */
@ApplicationScoped
public class MergeBotMetrics implements MergeMeasurements {

    private static final Logger LOG = Logger.getLogger(MergeBotMetrics.class);

    private final MergeQueueRepository queue;
    private final Timer approvalToMerge;
    private final Counter blocked;
    private final StateGauges<QueueState> queued;

    public MergeBotMetrics(MergeQueueRepository queue, MeterRegistry registry) {
        this.queue = queue;
        this.approvalToMerge = Timer.builder("gitcrq.merge.approval.to.merge")
                .description("Time from a CRQ's approval (its CrqApproved) to merge-bot's merge of it")
                .serviceLevelObjectives(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(15),
                        Duration.ofHours(1),
                        Duration.ofHours(4),
                        Duration.ofDays(1))
                .register(registry);
        this.blocked = Counter.builder("gitcrq.merge.blocked")
                .description("Queued CRQs newly blocked (a conflict, a failed check, a moved branch, ...)")
                .register(registry);
        this.queued = new StateGauges<>(
                registry,
                "gitcrq.merge.queue.crqs",
                "Approved CRQs in the merge queues, not yet merged, by state",
                "state",
                QueueState.class);
    }

    @Override
    public void merged(Instant approvedAt, Instant mergedAt) {
        Duration waited = Duration.between(approvedAt, mergedAt);
        approvalToMerge.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    @Override
    public void blocked() {
        blocked.increment();
    }

    @Scheduled(
            every = "${gitcrq.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        try {
            queued.set(queue.countByState());
        } catch (RuntimeException e) {
            LOG.debugf("cannot measure the merge queues: %s", e.getMessage());
            queued.unknown();
        }
    }
}
