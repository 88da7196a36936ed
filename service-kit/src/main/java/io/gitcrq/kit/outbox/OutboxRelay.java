package io.gitcrq.kit.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.db.SqlTimes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

    /** Rows of a republication (after a lost slot) sent at a time. */
    private static final int REPUBLISH_BATCH = 500;

    private final DatabaseConfig db;
    private final OutboxRelayConfig config;
    private final OutboxReplication replication;
    private final String service;
    /** The service's Kafka client configuration, as its channels get it (address, SASL, TLS). */
    private final Map<String, Object> kafka;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Set by the engine's completion callback: the engine ended (on an error, or closed). */
    private final AtomicBoolean engineEnded = new AtomicBoolean();
    /** This instance's engine is being closed (lease lost, or shutdown): a batch Kafka did not take is left. */
    private final AtomicBoolean engineClosing = new AtomicBoolean();

    private final AtomicLong relayed = new AtomicLong();
    private volatile String lastError;
    private volatile Role role = Role.STARTING;
    /** What was last logged about the relay's state, so that each state is logged once, not at every retry. */
    private String loggedState;

    /**
     * The relay's window for the backlog metric: since when (its engine's last start, truncated to PostgreSQL's
     * microseconds) and how many rows written since then it has relayed. Rows written before are relayed first on a
     * start, and not counted in the backlog.
     */
    private volatile Instant windowStart = SqlTimes.now();

    private final AtomicLong relayedInWindow = new AtomicLong();
    private final MeterRegistry registry;
    private final Timer relayDelay;
    private final Map<String, Counter> relayedByTopic = new ConcurrentHashMap<>();
    private final Counter republished;
    private ExecutorService executor;
    private Thread supervisor;
    private RelayLease lease;
    private KafkaPublisher publisher;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    /** Where this instance stands among the instances of its service that share its database. */
    public enum Role {
        /** Not yet decided (the first attempt at the lease). */
        STARTING,
        /** Another instance relays (or the slot is still read by a reader that went): this one waits to take over. */
        STANDBY,
        /** This instance holds the lease and relays. */
        ACTIVE,
        /** Off, or the service is stopping. */
        STOPPED
    }

    public OutboxRelay(
            DatabaseConfig db,
            OutboxRelayConfig config,
            OutboxReplication replication,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry) {
        this.db = db;
        this.registry = registry;
        this.relayDelay = Timer.builder("gitcrq.outbox.relay.delay")
                .description("Time from an outbox row's writing to Kafka's acknowledgement of its record")
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(5))
                .register(registry);
        this.republished = Counter.builder("gitcrq.outbox.events.republished")
                .description("Outbox events sent to Kafka again from the table after the replication slot was lost")
                .register(registry);
        this.config = config;
        this.replication = replication;
        this.service = service;
        this.kafka = Map.copyOf(kafka);
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 10) StartupEvent event) {
        if (!config.enabled()) {
            role = Role.STOPPED;
            return;
        }
        publisher = new KafkaPublisher(kafka, service + "-outbox-relay");
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        lease = new RelayLease(() -> db.connect(db.name()), config.slotName(db.name()));
        supervisor = new Thread(this::supervise, "outbox-relay-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /**
     * One reader per replication slot: the instance that holds the lease ({@link RelayLease}) runs the engine, the
     * others poll for the lease with a doubling wait up to {@code takeover-poll}. The holder checks its lease as
     * often and stops relaying at once when it lost it; it restarts a failed engine after {@code restart-delay}.
     */
    private void supervise() {
        long min = Math.min(250, config.takeoverPoll().toMillis());
        long wait = min;
        long engineEndedAt = 0;
        while (!stopping.get()) {
            try {
                if (!lease.held()) {
                    stopEngine();
                    if (!lease.tryAcquire()) {
                        changeState(Role.STANDBY, "standby: another instance relays the outbox of " + db.name());
                        sleep(wait);
                        wait = Math.min(wait * 2, config.takeoverPoll().toMillis());
                        continue;
                    }
                    wait = min;
                }
                if (!lease.stillHeld()) {
                    changeState(Role.STANDBY, "standby: the relay lease was lost (database session ended)");
                    stopEngine();
                    continue;
                }
                if (engine != null && lease.slotLost()) {
                    // Invalidated (or dropped) under the running engine: stop it, so that it is started again
                    // through recoverLostSlot below.
                    LOG.warnf(
                            "outbox relay: the replication slot %s was lost while it was read; relaying stops to make"
                                    + " it anew",
                            config.slotName(db.name()));
                    stopEngine();
                    continue;
                }
                if (engine == null || engineEnded.get()) {
                    if (engine != null) {
                        // The engine failed: restart it after restart-delay, keeping the lease meanwhile.
                        if (engineEndedAt == 0) {
                            engineEndedAt = System.nanoTime();
                        }
                        if (System.nanoTime() - engineEndedAt
                                < config.restartDelay().toNanos()) {
                            sleep(Math.min(wait, config.restartDelay().toMillis()));
                            continue;
                        }
                        engine = null;
                    }
                    Integer reader = lease.slotReader();
                    if (reader != null) {
                        // The reader that held the slot before (killed, or cut off) is not gone yet on the server.
                        changeState(Role.STANDBY, "standby: slot still read by server process " + reader);
                        sleep(wait);
                        wait = Math.min(wait * 2, config.takeoverPoll().toMillis());
                        continue;
                    }
                    engineEndedAt = 0;
                    wait = min;
                    changeState(Role.ACTIVE, "active: relaying the outbox of " + db.name());
                    if (recoverLostSlot()) {
                        startEngine();
                    }
                }
                sleep(config.takeoverPoll().toMillis());
            } catch (java.sql.SQLException | RuntimeException | KafkaPublisher.Abandoned e) {
                lastError = e.getMessage();
                lease.release();
                stopEngine();
                changeState(
                        Role.STANDBY,
                        "standby: cannot reach the database for the relay lease (" + e.getMessage() + ")");
                try {
                    sleep(wait);
                } catch (InterruptedException stop) {
                    return;
                }
                wait = Math.min(wait * 2, config.takeoverPoll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void changeState(Role next, String state) {
        role = next;
        if (!state.equals(loggedState)) {
            loggedState = state;
            LOG.infof("outbox relay %s", state);
        }
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    private synchronized void startEngine() {
        if (stopping.get()) {
            return;
        }
        engineEnded.set(false);
        engineClosing.set(false);
        // Change events as Kafka Connect records (Structs), not JSON: the relay reads three columns of each row, and
        // writing every change event as JSON (the payload column escaped within it) only to parse it again cost the
        // relay about a third of its CPU (P1).
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::relayBatch)
                .using((success, message, error) -> {
                    running.set(false);
                    engineEnded.set(true);
                    if (!stopping.get() && !success) {
                        if (!java.util.Objects.equals(message, lastError)) {
                            LOG.warnf(
                                    error,
                                    "outbox relay stopped (%s); restarting in %s",
                                    message,
                                    config.restartDelay());
                        }
                        lastError = message;
                    }
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        // A new window: Debezium now streams from the slot's position, the unconfirmed tail again.
                        windowStart = SqlTimes.now();
                        relayedInWindow.set(0);
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

    /** Stops this instance's engine (if it runs) and waits for it: after a lost lease, or at shutdown. */
    private synchronized void stopEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
        engineClosing.set(true);
        engine = null;
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (Exception e) {
            LOG.warn("error while stopping the outbox relay", e);
        }
        running.set(false);
    }

    private Properties engineProperties() {
        Properties p = new Properties();
        p.setProperty("name", service + "-outbox-relay");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // Positions live in the replication slot (confirmed after each acknowledged batch); Debezium's own offsets,
        // in the database (OutboxRelayOffsets), let a new reader skip what the slot gives again of the last batch.
        p.setProperty("offset.storage", OutboxRelayOffsets.class.getName());
        p.setProperty(OutboxRelayOffsets.URL, db.jdbcUrl(db.name()));
        p.setProperty(OutboxRelayOffsets.USER, db.user());
        db.password().ifPresent(password -> p.setProperty(OutboxRelayOffsets.PASSWORD, password));
        p.setProperty(OutboxRelayOffsets.SLOT, config.slotName(db.name()));
        // Confirm each batch to the slot as soon as Kafka has it: what another instance taking over after a crash sends
        // again is then at most the batch in flight.
        p.setProperty("offset.flush.interval.ms", "0");
        // A slot still held by a reader that just went (the lease is free a moment before the slot): retry soon.
        p.setProperty("slot.max.retries", "30");
        p.setProperty("slot.retry.delay.ms", "500");
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
        // PostgreSQL keeps the server's WAL from the slot's position on, whoever wrote it. A quiet outbox would leave
        // the position where it is while other databases write: the heartbeat's row change (outbox_heartbeat is in
        // the publication, not in the include list) moves it, and Debezium confirms it with the heartbeat record.
        p.setProperty(
                "heartbeat.interval.ms",
                String.valueOf(config.heartbeatInterval().toMillis()));
        p.setProperty("heartbeat.action.query", OutboxReplication.HEARTBEAT);
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("errors.max.retries", "-1");
        // Debezium returns a poll's records when max.batch.size is reached or this wait ends, so a lone event waits
        // it out in full: the latency of every hop between services (its default, 500 ms, would add a second to an
        // approval's way to merge-bot and its merge's way back).
        p.setProperty(
                "poll.interval.ms",
                String.valueOf(Math.max(1, config.batchWait().toMillis())));
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
        try {
            sendUntilTaken(batch, () -> stopping.get() || engineClosing.get(), this::measure);
        } catch (KafkaPublisher.Abandoned e) {
            throw new InterruptedException(e.getMessage());
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /**
     * Sends the batch, however long Kafka is away: keeps trying, never returns before Kafka has every record. What an
     * attempt did get to Kafka is not sent again (unless a record before it with its topic and key failed); each part
     * Kafka took is handed to {@code taken}. Gives up, throwing, only when {@code abandon} says so.
     */
    private void sendUntilTaken(
            List<KafkaPublisher.Outgoing> batch, BooleanSupplier abandon, Consumer<List<KafkaPublisher.Outgoing>> taken)
            throws InterruptedException, KafkaPublisher.Abandoned {
        long backoff = 200;
        List<KafkaPublisher.Outgoing> unsent = batch;
        while (!unsent.isEmpty()) {
            try {
                publisher.sendAll(unsent);
                taken.accept(unsent);
                lastError = null;
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof KafkaPublisher.NotAllSent partly) {
                    List<KafkaPublisher.Outgoing> left = partly.unsent();
                    java.util.Set<KafkaPublisher.Outgoing> notSent =
                            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    notSent.addAll(left);
                    taken.accept(
                            unsent.stream().filter(o -> !notSent.contains(o)).toList());
                    unsent = left;
                }
                if (abandon.getAsBoolean()) {
                    throw new KafkaPublisher.Abandoned(
                            "relay stopping with an unsent batch; it is sent again on restart");
                }
                lastError = e.getMessage();
                LOG.warnf(
                        "cannot send %d outbox events to Kafka (%s); retrying in %d ms",
                        unsent.size(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /**
     * Before the engine reads the slot: a lost or missing slot is made anew, and the rows it lost are sent from the
     * table first, so that every key's events still arrive in the order they were written. False if this instance
     * lost its lease or is stopping meanwhile (the next holder sends the owed rows again, from the start).
     */
    private boolean recoverLostSlot() throws java.sql.SQLException, InterruptedException, KafkaPublisher.Abandoned {
        replication.ensureSlot();
        Optional<OutboxReplication.Republication> owed = replication.pendingRepublication();
        if (owed.isEmpty()) {
            return true;
        }
        changeState(
                Role.ACTIVE,
                "active: sending again the outbox rows a lost replication slot held ("
                        + owed.get().reason() + ")");
        AtomicLong sent = new AtomicLong();
        BooleanSupplier abandon = () -> stopping.get() || !lease.stillHeld();
        boolean done;
        try {
            done = replication.republish(owed.get(), REPUBLISH_BATCH, batch -> {
                if (abandon.getAsBoolean()) {
                    return false;
                }
                sendUntilTaken(batch, abandon, taken -> {
                    sent.addAndGet(taken.size());
                    republished.increment(taken.size());
                });
                return true;
            });
        } catch (InterruptedException | KafkaPublisher.Abandoned | java.sql.SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the outbox rows of a lost replication slot again", e);
        }
        if (done) {
            changeState(Role.ACTIVE, "active: relaying the outbox of " + db.name());
            LOG.infof(
                    "outbox relay: %d outbox row(s) %s sent again after the lost replication slot;"
                            + " relaying from the new slot",
                    sent.get(), owed.get().rows());
        }
        return done;
    }

    /** Counts what Kafka acknowledged: per topic, the delay since each row's writing, the backlog window. */
    private void measure(List<KafkaPublisher.Outgoing> sent) {
        relayed.addAndGet(sent.size());
        Instant now = Instant.now();
        Instant since = windowStart;
        for (KafkaPublisher.Outgoing o : sent) {
            relayedByTopic
                    .computeIfAbsent(
                            o.topic(),
                            topic -> Counter.builder("gitcrq.outbox.events.relayed")
                                    .description("Outbox events relayed to Kafka (acknowledged by the broker)")
                                    .tag("topic", topic)
                                    .register(registry))
                    .increment();
            if (o.createdAt() != null) {
                Duration delay = Duration.between(o.createdAt(), now);
                relayDelay.record(delay.isNegative() ? Duration.ZERO : delay);
                if (o.createdAt().isAfter(since)) {
                    relayedInWindow.incrementAndGet();
                }
            }
        }
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
                    after.getString("topic"),
                    after.getString("message_key"),
                    after.getString("payload"),
                    createdAt(after));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unreadable outbox change: " + change, e);
        }
    }

    /** The row's created_at (Debezium gives a timestamptz as ISO-8601 text), or null. */
    private static Instant createdAt(Struct row) {
        if (row.schema().field("created_at") == null) {
            return null;
        }
        Object value = row.get("created_at");
        try {
            return value instanceof String text ? Instant.parse(text) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Since when the relay counts what it relayed for the backlog (its engine's last start). */
    public Instant backlogWindowStart() {
        return windowStart;
    }

    /** Rows written after {@link #backlogWindowStart()} that the relay has relayed. */
    public long relayedInBacklogWindow() {
        return relayedInWindow.get();
    }

    public boolean isRunning() {
        return running.get();
    }

    public Role role() {
        return role;
    }

    public long relayedCount() {
        return relayed.get();
    }

    public String lastError() {
        return lastError;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        role = Role.STOPPED;
        if (supervisor != null) {
            supervisor.interrupt();
            try {
                supervisor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopEngine();
        // Only now, with this instance's engine closed: another instance may take the slot.
        if (lease != null) {
            lease.release();
        }
        if (executor != null) {
            executor.shutdown();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
