package io.gitcrq.kit.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long a service keeps its messaging bookkeeping ({@code gitcrq.housekeeping.*}); pruned every
 * {@code gitcrq.housekeeping.interval} (default 1h).
 */
@ConfigMapping(prefix = "gitcrq.housekeeping")
public interface HousekeepingConfig {

    /**
     * Outbox rows older than this are deleted. The relay reads what it publishes from the WAL, not from the table, so a
     * row deleted before it was relayed is relayed all the same; the table is only the service's recent record.
     */
    @WithDefault("P7D")
    Duration outboxRetention();

    /**
     * Ids of consumed events older than this are forgotten: a redelivery of such an event would be handled again. Keep
     * it longer than the topics' retention (the broker's default: 7 days), the oldest record Kafka can deliver again.
     */
    @WithDefault("P30D")
    Duration inboxRetention();

    /** Rows deleted per statement: short transactions, no long lock on a busy table. */
    @WithDefault("5000")
    int batchSize();
}
