package io.gitcrq.audit.metrics;

import io.gitcrq.audit.domain.SignatureCheck;
import io.gitcrq.audit.service.AuditMeasurements;
import io.gitcrq.audit.service.HostKeys;
import io.gitcrq.kit.metrics.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * audit-collector's metrics: audit events stored, refused by kind of reason and held for an unregistered key (counted
 * when their transaction commits), and the events held now (measured every {@code gitcrq.metrics.refresh-interval}).
 * Events the collector could not read are counted by service-kit's dead-letter counter.
 */
@ApplicationScoped
public class AuditCollectorMetrics implements AuditMeasurements {

    private static final Logger LOG = Logger.getLogger(AuditCollectorMetrics.class);

    private final AfterCommit afterCommit;
    private final HostKeys hostKeys;
    private final Counter stored;
    private final Counter held;
    private final Map<SignatureCheck.Refusal, Counter> rejected = new EnumMap<>(SignatureCheck.Refusal.class);
    private volatile double heldNow = Double.NaN;

    public AuditCollectorMetrics(AfterCommit afterCommit, HostKeys hostKeys, MeterRegistry registry) {
        this.afterCommit = afterCommit;
        this.hostKeys = hostKeys;
        this.stored = Counter.builder("gitcrq.audit.events.stored")
                .description("Audit events appended to their hosts' hash chains (redeliveries are not)")
                .register(registry);
        this.held = Counter.builder("gitcrq.audit.events.held.received")
                .description("Audit events held on receipt: signed with a key their host has not registered yet")
                .register(registry);
        for (SignatureCheck.Refusal refusal : SignatureCheck.Refusal.values()) {
            rejected.put(
                    refusal,
                    Counter.builder("gitcrq.audit.events.rejected")
                            .description("Audit events refused (each once) and dead-lettered, by kind of reason")
                            .tag("reason", refusal.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        Gauge.builder("gitcrq.audit.events.held", this, m -> m.heldNow)
                .description("Audit events waiting now for their host's key to be registered")
                .register(registry);
    }

    @Override
    public void stored(int rows) {
        if (rows > 0) {
            afterCommit(() -> stored.increment(rows));
        }
    }

    @Override
    public void rejected(SignatureCheck.Refusal refusal) {
        if (refusal != null) {
            afterCommit(() -> rejected.get(refusal).increment());
        }
    }

    @Override
    public void held(int events) {
        if (events > 0) {
            afterCommit(() -> held.increment(events));
        }
    }

    private void afterCommit(Runnable count) {
        afterCommit.run(count);
    }

    @Scheduled(
            every = "${gitcrq.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            heldNow =
                    hostKeys.held().values().stream().mapToLong(Long::longValue).sum();
        } catch (RuntimeException e) {
            LOG.debugf("cannot measure the held audit events: %s", e.getMessage());
            heldNow = Double.NaN;
        }
    }
}
