package io.gitcrq.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.MalformedEventException;
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
     * matching one, in the topic's order. The whole topic is read each time (a busy audit topic holds more records than
     * one poll returns); once enough match it is read once more half a second later, since a duplicate arriving just
     * after is what some tests look for.
     */
    public List<AuditOnTopic> awaitAll(Predicate<String> json, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<AuditOnTopic> matching = matching(json, timeout);
        while (matching.size() < count && System.nanoTime() < deadline) {
            KafkaBroker.sleep(200);
            matching = matching(json, timeout);
        }
        if (matching.size() < count) {
            throw new AssertionError("expected " + count + " matching audit event(s) on " + Topics.AUDIT_EVENTS
                    + " within " + timeout + ", found " + matching.size() + ": " + matching);
        }
        KafkaBroker.sleep(500);
        return matching(json, timeout);
    }

    private List<AuditOnTopic> matching(Predicate<String> json, Duration timeout) {
        List<AuditOnTopic> matching = new ArrayList<>();
        for (ConsumerRecord<String, String> r : topics.readAll(Topics.AUDIT_EVENTS, timeout)) {
            for (AuditOnTopic e : eventsOf(r)) {
                if (json.test(e.json())) {
                    matching.add(e);
                }
            }
        }
        return matching;
    }

    /**
     * The audit events of one record of the audit topic: none for a head, another type, or a record that is no event
     * at all (some tests put forged or broken records on the topic).
     */
    public static List<AuditOnTopic> eventsOf(ConsumerRecord<String, String> record) {
        CloudEvent envelope;
        DomainEvent data;
        try {
            envelope = EventCodec.parse(record.value());
            data = EventCodec.dataOf(envelope);
        } catch (MalformedEventException unreadable) {
            return List.of();
        }
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
