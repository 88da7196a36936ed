package io.gitcrq.kit.metrics;

import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.outbox.OutboxRelay;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The outbox's gauges: the backlog (rows written that the relay has not yet relayed), whether this instance's
 * relay streams, and how much WAL PostgreSQL keeps for the service's replication slot (every instance reports it: the
 * slot is the service's). The relay itself counts what it relays and times each row's delay ({@link OutboxRelay}).
 * <p>
 * The backlog is measured against the relay's window: rows written since its engine last started, less those of them
 * it relayed. A tail left from before a start is relayed first and shows in the delay, not here. Only the instance
 * whose relay holds the replication slot knows; the others report no value (NaN).
 */
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);
    static final String COUNT_SINCE = "SELECT count(*) FROM outbox_event WHERE created_at > ?";
    static final String RETAINED_WAL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)"
            + " FROM pg_replication_slots WHERE slot_name = ?";

    private final OutboxRelay relay;
    private final OutboxRelayConfig config;
    private final DataSource dataSource;
    private final String slot;
    private volatile double backlog = Double.NaN;
    private volatile double retainedWal = Double.NaN;

    public OutboxMetrics(
            OutboxRelay relay,
            OutboxRelayConfig config,
            DatabaseConfig database,
            DataSource dataSource,
            MeterRegistry registry) {
        this.relay = relay;
        this.config = config;
        this.dataSource = dataSource;
        this.slot = config.slotName(database.name());
        Gauge.builder("gitcrq.outbox.backlog.events", this, m -> m.backlog)
                .description(
                        "Outbox rows written and not yet relayed to Kafka (NaN where this instance does not relay)")
                .register(registry);
        Gauge.builder("gitcrq.outbox.relay.running", relay, r -> r.isRunning() ? 1 : 0)
                .description("1 while this instance's outbox relay streams the replication slot, else 0")
                .register(registry);
        Gauge.builder("gitcrq.outbox.slot.retained.wal.bytes", this, m -> m.retainedWal)
                .description("WAL PostgreSQL keeps for the service's replication slot, in bytes (NaN: no slot)")
                .register(registry);
    }

    @Scheduled(
            every = "${gitcrq.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        retainedWal = config.enabled() ? measureRetainedWal() : Double.NaN;
        if (!config.enabled() || !relay.isRunning()) {
            backlog = Double.NaN;
            return;
        }
        // Read the relay's side first: a row relayed during the query then counts as still waiting, never the
        // other way round, so a backlog is never hidden.
        Instant since = relay.backlogWindowStart();
        long relayed = relay.relayedInBacklogWindow();
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement(COUNT_SINCE)) {
            count.setQueryTimeout(10);
            count.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                backlog = Math.max(0, rs.getLong(1) - relayed);
            }
        } catch (SQLException e) {
            LOG.debugf("cannot measure the outbox backlog: %s", e.getMessage());
            backlog = Double.NaN;
        }
    }

    private double measureRetainedWal() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement retained = c.prepareStatement(RETAINED_WAL)) {
            retained.setQueryTimeout(10);
            retained.setString(1, slot);
            try (ResultSet rs = retained.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : Double.NaN;
            }
        } catch (SQLException e) {
            LOG.debugf("cannot measure the WAL kept for slot %s: %s", slot, e.getMessage());
            return Double.NaN;
        }
    }
}
