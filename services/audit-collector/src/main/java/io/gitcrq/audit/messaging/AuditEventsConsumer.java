package io.gitcrq.audit.messaging;

import io.gitcrq.audit.service.AuditTrail;
import io.gitcrq.kit.delivery.DeliveryFailures;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.delivery.ServiceStoppingException;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Files every audit event of the audit topic, as the next link of its host's hash chain, and keeps the heads hosts
 * sign (AuditHeadSigned) for verification. Hosts publish their events in signed batches (AuditBatchCaptured, each
 * event taken as the AuditCaptured it stands for); an AuditCaptured alone is taken as well (an agent's outbox written
 * before batch records). The kit's inbox is not needed: the audit row is keyed by the event id, so the table is its
 * own dedupe (and a redelivery does not extend the chain). A record that is not a readable event is sent to the
 * dead-letter topic; an event type this service does not store is skipped.
 * <p>
 * Records come in batches (one poll of the topic, {@code batch=true}), stored in parts of about a megabyte, a
 * transaction each: one commit, one COPY of the rows and one head update per host, where one event per transaction
 * made the commit the cost of each event. While a part's rows go into the database, the next part is prepared on a
 * thread of its own (read, its payloads made canonical, its batches' trees computed): the database and this work no
 * longer wait for each other. The batch is acknowledged only once every part is stored, so a crash redelivers rather
 * than loses (the parts stored already are skipped as redeliveries). A bad record spoils nothing else: an unreadable
 * one is dead-lettered by itself (the connector would dead-letter a whole failed batch), and if the database refuses
 * a part the events are stored one at a time, so that only the one it refuses is dead-lettered. An event whose host
 * signature is refused ({@code AuditTrail}) is dead-lettered too, after its part's transaction counted it and kept
 * its record.
 */
@ApplicationScoped
public class AuditEventsConsumer {

    private static final Logger LOG = Logger.getLogger(AuditEventsConsumer.class);

    /** About a megabyte of records: 770 events of a dev host's batches (P1's), a few hundred of one's own. */
    static final int PART_CHARS = 1_000_000;

    private final AuditTrail trail;
    /** Prepares a poll's next part while this one's rows go into the database. */
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "audit-preparer");
        thread.setDaemon(true);
        return thread;
    });

    public AuditEventsConsumer(AuditTrail trail) {
        this.trail = trail;
    }

    @GuardedDelivery
    @Incoming("audit-events")
    // Ordered: a host's events share a key, so Kafka hands them over in the order the agent emitted them, and the
    // host's hash chain must keep that order. Stored unordered (several writers at once), events a dev host spooled
    // during a broker outage and delivered together were chained in whatever order the writers got the lock.
    @Blocking(value = "audit-writers", ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<List<KafkaRecord<String, String>>> parts = parts(batch.getRecords());
        List<Rejected> rejected = new ArrayList<>();
        List<Prepared> stored = new ArrayList<>(parts.size());
        Prepared current = prepare(parts.get(0));
        for (int i = 0; i < parts.size(); i++) {
            Future<Prepared> next = i + 1 < parts.size() ? prepareAside(parts.get(i + 1)) : null;
            store(current.events(), current.sources(), rejected);
            stored.add(current);
            current = next == null ? null : preparedBy(next);
        }
        stored.forEach(p -> rejected.addAll(p.rejected()));
        // A host publishes its head after the events it states: they are stored by now.
        for (Prepared p : stored) {
            for (int i = 0; i < p.headRecords().size(); i++) {
                CloudEvent envelope = p.headEnvelopes().get(i);
                try {
                    AuditTrail.Outcome outcome = trail.head(envelope, (AuditHeadSigned) EventCodec.dataOf(envelope));
                    for (AuditTrail.Refused r : outcome.refused()) {
                        rejected.add(new Rejected(
                                p.headRecords().get(i), new RefusedEventException(r.eventId(), r.reason())));
                    }
                } catch (RuntimeException e) {
                    rejectUnlessConnectionLost(p.headRecords().get(i), e, rejected);
                }
            }
        }
        // Dead-lettered after the good events are stored: its acknowledgement may commit the partition's offset. A
        // batch record once, however many of its events were refused (its signature covers them all).
        Set<KafkaRecord<String, String>> nacked = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Rejected u : rejected) {
            if (nacked.add(u.record())) {
                u.record().nack(u.reason()).toCompletableFuture().join();
            }
        }
        return batch.ack();
    }

    /**
     * A poll's records in parts of about {@value #PART_CHARS} characters, in their order: each part is stored in a
     * transaction of its own while the next one is prepared.
     */
    static <R extends KafkaRecord<String, String>> List<List<R>> parts(List<R> records) {
        List<List<R>> parts = new ArrayList<>();
        List<R> part = new ArrayList<>();
        long chars = 0;
        for (R record : records) {
            part.add(record);
            chars += record.getPayload() == null ? 0 : record.getPayload().length();
            if (chars >= PART_CHARS) {
                parts.add(part);
                part = new ArrayList<>();
                chars = 0;
            }
        }
        if (!part.isEmpty() || parts.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /** The part prepared on the preparing thread; on this one if that thread takes no more work (a stop). */
    private Future<Prepared> prepareAside(List<KafkaRecord<String, String>> part) {
        try {
            return preparer.submit(() -> prepare(part));
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.completedFuture(prepare(part));
        }
    }

    private static Prepared preparedBy(Future<Prepared> prepared) {
        try {
            return prepared.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStoppingException("AuditEventsConsumer.consume");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * What needs no database: each record read, and each audit event in it made ready to store (its payload's
     * canonical form, its batch's tree and the statement its signature must be over). A record that is not a readable
     * event is rejected alone.
     */
    private Prepared prepare(List<KafkaRecord<String, String>> part) {
        Prepared prepared = new Prepared(
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (KafkaRecord<String, String> record : part) {
            try {
                CloudEvent envelope = EventCodec.parse(record.getPayload());
                DomainEvent data = EventCodec.dataOf(envelope);
                if (data instanceof AuditBatchCaptured signed) {
                    for (AuditTrail.Received r : trail.toStore(envelope, signed)) {
                        prepared.events().add(r);
                        prepared.sources().add(record);
                    }
                } else if (data instanceof AuditCaptured captured) {
                    prepared.events().add(trail.toStore(envelope, captured, record.getPayload()));
                    prepared.sources().add(record);
                } else if (data instanceof AuditHeadSigned) {
                    prepared.headRecords().add(record);
                    prepared.headEnvelopes().add(envelope);
                } else {
                    LOG.debugf(
                            "skipping %s event %s: audit-collector stores AuditCaptured only",
                            envelope.type(), envelope.id());
                }
            } catch (RuntimeException e) {
                prepared.rejected().add(new Rejected(record, e));
            }
        }
        return prepared;
    }

    /** A part of a poll made ready to store: its events with the record each came in, what was unreadable, its heads. */
    private record Prepared(
            List<AuditTrail.Received> events,
            List<KafkaRecord<String, String>> sources,
            List<Rejected> rejected,
            List<KafkaRecord<String, String>> headRecords,
            List<CloudEvent> headEnvelopes) {}

    @PreDestroy
    void stop() {
        preparer.shutdownNow();
    }

    private void store(
            List<AuditTrail.Received> events, List<KafkaRecord<String, String>> sources, List<Rejected> rejected) {
        if (events.isEmpty()) {
            return;
        }
        try {
            refused(trail.captureAll(events), events, sources, rejected);
            return;
        } catch (RuntimeException e) {
            if (DeliveryFailures.connectionLost(e)) {
                throw e;
            }
            LOG.warnf(
                    "storing %d audit events at once failed (%s); storing them one at a time",
                    events.size(), e.toString());
        }
        for (int i = 0; i < events.size(); i++) {
            try {
                refused(trail.capture(events.get(i)), List.of(events.get(i)), List.of(sources.get(i)), rejected);
            } catch (RuntimeException e) {
                rejectUnlessConnectionLost(sources.get(i), e, rejected);
            }
        }
    }

    /**
     * A record the service refused is dead-lettered; a lost database connection is not the record's fault: thrown, so
     * that the whole batch is handled again once the database is back (@GuardedDelivery; storing is idempotent),
     * never dead-lettered nor left to stop the channel.
     */
    private static void rejectUnlessConnectionLost(
            KafkaRecord<String, String> record, RuntimeException failure, List<Rejected> rejected) {
        if (DeliveryFailures.connectionLost(failure)) {
            throw failure;
        }
        rejected.add(new Rejected(record, failure));
    }

    /** Events whose signature audit-collector refused go to the dead-letter topic too, with the reason. */
    private static void refused(
            AuditTrail.Outcome outcome,
            List<AuditTrail.Received> events,
            List<KafkaRecord<String, String>> sources,
            List<Rejected> rejected) {
        Set<Integer> taken = new java.util.HashSet<>(); // a batch may hold one event twice: each copy once
        for (AuditTrail.Refused r : outcome.refused()) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).event().eventId().equals(r.eventId()) && taken.add(i)) {
                    rejected.add(new Rejected(sources.get(i), new RefusedEventException(r.eventId(), r.reason())));
                    break;
                }
            }
        }
    }

    /** A record to dead-letter (unreadable, or refused by the database), and why. */
    private record Rejected(KafkaRecord<String, String> record, Throwable reason) {}
}
