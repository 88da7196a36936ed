package io.gitcrq.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Locale;

@ConfigMapping(prefix = "gitcrq.outbox.relay")
public interface OutboxRelayConfig {
    /** Off only in a process that publishes nothing. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("gitcrq_outbox")
    String publication();

    /** Replication slot name; empty means {@code gitcrq_<database>}. */
    java.util.Optional<String> slot();

    /** Wait before restarting the relay after it stopped on an error (Kafka or the database away). */
    @WithDefault("5s")
    Duration restartDelay();

    /**
     * Several instances of a service share its database and one of them relays: the others ask for the relay lease
     * with a doubling wait up to this, and the relaying one checks its lease as often. With the slot's release, it
     * bounds the takeover after the relaying instance stops or dies.
     */
    @WithDefault("1s")
    Duration takeoverPoll();

    /**
     * How often the relay writes a heartbeat row (table {@code outbox_heartbeat}, in the publication) and confirms
     * its position to the replication slot while the outbox is quiet: WAL that other databases of the server write
     * meanwhile is then not kept for this slot.
     */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * How long the relay waits for more outbox rows before it sends those it has (Debezium's poll interval): what an
     * event written alone waits at each hop between services (an approval reaches merge-bot through one relay).
     * Under load, batches fill up before the wait ends; a longer wait gathers larger batches from a slow trickle. A
     * shorter one costs CPU while the outbox is quiet: Debezium wakes up this often (at 5 ms, each relaying service
     * spent about an eighth of a core doing nothing; docs/benchmarks.md).
     */
    @WithDefault("50ms")
    Duration batchWait();

    /**
     * After a lost replication slot the relay sends again the outbox rows written since this long before the commit
     * of the last transaction it relayed: a row's time is when its transaction wrote it, and a transaction that took
     * longer than this to commit could otherwise be missed. Rows sent twice are skipped by the consumers' inbox.
     */
    @WithDefault("10m")
    Duration republishMargin();

    default String slotName(String database) {
        return slot().orElseGet(
                        () -> ("gitcrq_" + database).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
    }
}
