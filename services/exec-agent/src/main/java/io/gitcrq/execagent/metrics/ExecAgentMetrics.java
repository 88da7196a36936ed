package io.gitcrq.execagent.metrics;

import io.gitcrq.execagent.audit.AuditMeasurements;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.kit.metrics.AfterCommit;
import io.gitcrq.kit.metrics.StateGauges;
import io.gitcrq.model.audit.SourceSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * exec-agent's metrics: per kind of audit source, the records the agent received from its sources and published, and
 * what the sources said in their summaries they saw, captured and dropped (by reason) when they stopped (counted when
 * their transaction commits); the
 * execs of this agent's database per status (measured every {@code gitcrq.metrics.refresh-interval}).
 */
@ApplicationScoped
public class ExecAgentMetrics implements AuditMeasurements {

    private static final Logger LOG = Logger.getLogger(ExecAgentMetrics.class);

    private final AfterCommit afterCommit;
    private final ExecRepository execs;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final StateGauges<ExecStatus> byStatus;

    public ExecAgentMetrics(AfterCommit afterCommit, ExecRepository execs, MeterRegistry registry) {
        this.afterCommit = afterCommit;
        this.execs = execs;
        this.registry = registry;
        this.byStatus = new StateGauges<>(
                registry,
                "gitcrq.exec.execs",
                "Execs of this agent by status: running now, and finished or failed so far",
                "status",
                ExecStatus.class);
    }

    @Override
    public void sourceRecords(String source, int records) {
        Counter published = counter(
                "gitcrq.exec.audit.source.records.published",
                "Records the agent received from its audit sources and published as audit events",
                source,
                null);
        afterCommit.run(() -> published.increment(records));
    }

    @Override
    public void sourceStopped(String source, SourceSummary summary) {
        Counter seen = counter(
                "gitcrq.exec.audit.source.events.seen",
                "Events audit sources saw, as each says in its summary when it stops (captured + dropped)",
                source,
                null);
        Counter captured = counter(
                "gitcrq.exec.audit.source.events.captured",
                "Events audit sources captured, per their summaries",
                source,
                null);
        Map<Counter, Long> dropped = new java.util.HashMap<>();
        long byReason = 0;
        for (Map.Entry<String, Long> reason : summary.droppedBy().entrySet()) {
            dropped.put(dropped(source, reason.getKey()), reason.getValue());
            byReason += reason.getValue();
        }
        if (summary.dropped() > byReason) {
            dropped.merge(dropped(source, "other"), summary.dropped() - byReason, Long::sum);
        }
        afterCommit.run(() -> {
            seen.increment(summary.seen());
            captured.increment(summary.captured());
            dropped.forEach((counter, n) -> counter.increment(n));
        });
    }

    private Counter dropped(String source, String reason) {
        return counter(
                "gitcrq.exec.audit.source.events.dropped",
                "Events audit sources saw but lost, per their summaries, by reason (queueFull, unparsable,"
                        + " toolOverrun, notDrained)",
                source,
                reason);
    }

    /** The counter of this name for a source kind (and a drop reason, or null), registered on first use. */
    private Counter counter(String name, String description, String source, String reason) {
        return counters.computeIfAbsent(name + '\u0000' + source + '\u0000' + reason, key -> {
            Counter.Builder counter =
                    Counter.builder(name).description(description).tag("source", source);
            return (reason == null ? counter : counter.tag("reason", reason)).register(registry);
        });
    }

    @Scheduled(
            every = "${gitcrq.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        try {
            byStatus.set(execs.countByStatus());
        } catch (RuntimeException e) {
            LOG.debugf("cannot measure the execs: %s", e.getMessage());
            byStatus.unknown();
        }
    }
}
