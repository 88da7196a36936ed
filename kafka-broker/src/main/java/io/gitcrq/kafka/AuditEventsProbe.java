package io.gitcrq.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The audit topic's events as tests look for them: each AuditCaptured, whether its host published it alone or in a
 * signed batch (AuditBatchCaptured, unpacked as audit-collector unpacks it: numbered, with the batch's signature and
 * its audit path).
 */
public final class AuditEventsProbe {

    /** An audit event on the topic: its record's key, its id and the event. */
    public record AuditOnTopic(String key, String eventId, AuditCaptured event) {
        /** The event's data as JSON text (what a test matches against). */
        public String json() {
            return EventCodec.dataToJson(event);
        }

        /** The event's data as a JSON tree, as its record carried it when each event travelled alone. */
        public JsonNode data() {
            return EventCodec.mapper().valueToTree(event);
        }
    }

    private final TopicProbe topics;

    public AuditEventsProbe(TopicProbe topics) {
        this.topics = topics;
    }

    /** Waits until an audit event whose data JSON matches is on the topic. */
    public AuditOnTopic await(Predicate<String> json, Duration timeout) {
        return awaitAll(json, 1, timeout).get(0);
    }

    /**
     * Waits until at least {@code count} audit events whose data JSON matches are on the topic, then returns every
     * matching one, in the topic's order.
     */
    public List<AuditOnTopic> awaitAll(Predicate<String> json, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<AuditOnTopic> matching = List.of();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L));
            // Records that hold a matching event hold its text somewhere: a cheap filter before unpacking.
            List<ConsumerRecord<String, String>> records = topics.awaitAll(
                    Topics.AUDIT_EVENTS, v -> v.contains("AuditCaptured") || v.contains("AuditBatchCaptured"), 1, left);
            matching = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records) {
                for (AuditOnTopic e : eventsOf(r)) {
                    if (json.test(e.json())) {
                        matching.add(e);
                    }
                }
            }
            if (matching.size() >= count || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (matching.size() < count) {
            throw new AssertionError("expected " + count + " matching audit event(s) on " + Topics.AUDIT_EVENTS
                    + " within " + timeout + ", found " + matching.size() + ": " + matching);
        }
        return matching;
    }

    /** The audit events of one record of the audit topic (none for a head or another type). */
    public static List<AuditOnTopic> eventsOf(ConsumerRecord<String, String> record) {
        CloudEvent envelope = EventCodec.parse(record.value());
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof AuditBatchCaptured batch) {
            return AuditSignature.unpack(batch).stream()
                    .map(u -> new AuditOnTopic(record.key(), u.eventId(), u.event()))
                    .toList();
        }
        if (data instanceof AuditCaptured captured) {
            return List.of(new AuditOnTopic(record.key(), envelope.id(), captured));
        }
        return List.of();
    }
}
