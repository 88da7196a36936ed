package io.gitcrq.kit.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.db.DatabaseConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Relays outbox rows to Kafka with Debezium's embedded PostgreSQL connector: every row inserted into
 * {@code outbox_event} is read from the WAL and sent to its topic, keyed by its partition key.
 * <p>
 * Delivery is at least once: a batch is acknowledged to Debezium (which then confirms the WAL position to
 * the replication slot) only after Kafka has every record of it; after a crash the unconfirmed tail is sent
 * again and consumers skip what they already processed. The slot, not a file, remembers the position.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final DatabaseConfig db;
    private final OutboxRelayConfig config;
    private final String service;
    /** The service's Kafka client configuration, as its channels get it (address, SASL, TLS). */
    private final Map<String, Object> kafka;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong relayed = new AtomicLong();
    private volatile String lastError;
    private ExecutorService executor;
    private KafkaPublisher publisher;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    public OutboxRelay(
            DatabaseConfig db,
            OutboxRelayConfig config,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.db = db;
        this.config = config;
        this.service = service;
        this.kafka = Map.copyOf(kafka);
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 10) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        publisher = new KafkaPublisher(kafka, service + "-outbox-relay");
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        startEngine();
    }

    private void startEngine() {
        if (stopping.get()) {
            return;
        }
        // Change events as Kafka Connect records (Structs), not JSON: the relay reads three columns of each row, and
        // writing every change event as JSON (the payload column escaped within it) only to parse it again cost the
        // relay about a third of its CPU (P1).
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::relayBatch)
                .using((success, message, error) -> {
                    running.set(false);
                    if (!stopping.get()) {
                        lastError = message;
                        LOG.warnf(error, "outbox relay stopped (%s); restarting in %s", message, config.restartDelay());
                        restartLater();
                    }
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        running.set(true);
                        lastError = null;
                    }

                    @Override
                    public void taskStopped() {
                        running.set(false);
                    }
                })
                .build();
        executor.execute(engine);
    }

    private void restartLater() {
        Thread restart = new Thread(
                () -> {
                    try {
                        Thread.sleep(config.restartDelay().toMillis());
                        startEngine();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.error("cannot restart the outbox relay", e);
                    }
                },
                "outbox-relay-restart");
        restart.setDaemon(true);
        restart.start();
    }

    private Properties engineProperties() {
        Properties p = new Properties();
        p.setProperty("name", service + "-outbox-relay");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // Positions live in the replication slot (confirmed after each acknowledged batch), so nothing
        // else needs to be stored: a restart resumes from the slot.
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", db.host());
        p.setProperty("database.port", String.valueOf(db.port()));
        p.setProperty("database.user", db.user());
        db.password().ifPresent(password -> p.setProperty("database.password", password));
        p.setProperty("database.dbname", db.name());
        p.setProperty("topic.prefix", "gitcrq-outbox-" + db.name());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.slotName(db.name()));
        p.setProperty("publication.name", config.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "public.outbox_event");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("errors.max.retries", "-1");
        // Latency of every hop between services: an approval reaches merge-bot, and its merge reaches
        // crq-service, through two relays. Debezium's default 500 ms idle poll would add up to a second.
        p.setProperty("poll.interval.ms", "50");
        return p;
    }

    private void relayBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<KafkaPublisher.Outgoing> batch = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> record : records) {
            KafkaPublisher.Outgoing outgoing = toOutgoing(record.record().value());
            if (outgoing != null) {
                batch.add(outgoing);
            }
        }
        // Kafka may be away for a while: keep trying, never acknowledge what it has not taken. What an attempt
        // did get to Kafka is not sent again (unless a record before it with its topic and key failed).
        long backoff = 200;
        List<KafkaPublisher.Outgoing> unsent = batch;
        while (!unsent.isEmpty()) {
            try {
                publisher.sendAll(unsent);
                relayed.addAndGet(unsent.size());
                lastError = null;
                break;
            } catch (Exception e) {
                if (e instanceof KafkaPublisher.NotAllSent partly) {
                    relayed.addAndGet(unsent.size() - partly.unsent().size());
                    unsent = partly.unsent();
                }
                if (stopping.get()) {
                    throw new InterruptedException("relay stopping with an unsent batch; it is sent again on restart");
                }
                lastError = e.getMessage();
                LOG.warnf(
                        "cannot send %d outbox events to Kafka (%s); retrying in %d ms",
                        unsent.size(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /**
     * Only inserts are relayed; updates and deletes of old rows (retention) are not events, and neither is what is
     * not a row change (a heartbeat, a tombstone).
     */
    static KafkaPublisher.Outgoing toOutgoing(Object changeValue) {
        if (!(changeValue instanceof Struct change) || change.schema().field("op") == null) {
            return null;
        }
        try {
            if (!"c".equals(change.getString("op"))) {
                return null;
            }
            Struct after = change.getStruct("after");
            return new KafkaPublisher.Outgoing(
                    after.getString("topic"), after.getString("message_key"), after.getString("payload"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unreadable outbox change: " + change, e);
        }
    }

    public boolean isRunning() {
        return running.get();
    }

    public long relayedCount() {
        return relayed.get();
    }

    public String lastError() {
        return lastError;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        try {
            if (engine != null) {
                engine.close();
            }
        } catch (Exception e) {
            LOG.warn("error while stopping the outbox relay", e);
        }
        if (executor != null) {
            executor.shutdown();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
