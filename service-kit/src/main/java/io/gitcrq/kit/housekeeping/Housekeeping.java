package io.gitcrq.kit.housekeeping;

import io.gitcrq.kit.outbox.OutboxReplication;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Prunes the outbox ({@code outbox_event}) and the inbox ({@code processed_event}), which otherwise grow with every
 * event a service publishes or consumes, in batches of {@link HousekeepingConfig#batchSize()} rows.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    /** What one run deleted. */
    public record Pruned(long outboxRows, long inboxRows) {}

    private final EntityManager em;
    private final HousekeepingConfig config;
    private final OutboxReplication replication;
    private final Clock clock;

    public Housekeeping(EntityManager em, HousekeepingConfig config, OutboxReplication replication) {
        this.em = em;
        this.config = config;
        this.replication = replication;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(
            every = "${gitcrq.housekeeping.interval:1h}",
            delayed = "${gitcrq.housekeeping.interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Pruned pruned = prune();
        if (pruned.outboxRows() + pruned.inboxRows() > 0) {
            LOG.infof(
                    "housekeeping: %d outbox row(s) and %d consumed event id(s) pruned",
                    pruned.outboxRows(), pruned.inboxRows());
        }
    }

    /**
     * Deletes what is older than the retentions now; no outbox row while the relay owes a republication after a lost
     * replication slot (the table is then all it has).
     */
    public Pruned prune() {
        Instant now = clock.instant();
        long outbox = republicationOwed()
                ? 0
                : deleteOlder("outbox_event", "created_at", now.minus(config.outboxRetention()));
        long inbox = deleteOlder("processed_event", "processed_at", now.minus(config.inboxRetention()));
        return new Pruned(outbox, inbox);
    }

    private boolean republicationOwed() {
        try {
            return replication.republicationOwed();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot tell whether the outbox relay owes a republication", e);
        }
    }

    private long deleteOlder(String table, String timeColumn, Instant cutoff) {
        long total = 0;
        while (true) {
            // Table and column names are ours (constants above), never input; ctid: each table's own row address.
            int deleted = QuarkusTransaction.requiringNew()
                    .call(() -> em.createNativeQuery("DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM "
                                    + table + " WHERE " + timeColumn + " < ?1 LIMIT ?2)")
                            .setParameter(1, cutoff.atOffset(ZoneOffset.UTC))
                            .setParameter(2, config.batchSize())
                            .executeUpdate());
            total += deleted;
            if (deleted < config.batchSize()) {
                return total;
            }
        }
    }
}
