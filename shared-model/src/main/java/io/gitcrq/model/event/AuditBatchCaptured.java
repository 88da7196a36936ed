package io.gitcrq.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One host's audit events of one outbox transaction, numbered and signed together, in one record: how exec-agent
 * publishes its audit trail. The events are numbered {@code firstSeq}, {@code firstSeq + 1}, ... in list order, and
 * {@code signature} is the host key's ({@code keyId}) Ed25519 signature of the batch statement over the Merkle root of
 * their signed forms ({@code io.gitcrq.model.chain.AuditSignature}): the same statement an {@link AuditCaptured}
 * carries its audit path to. A batch holds every leaf of its tree, so it carries no audit path: its reader computes
 * the tree, and from it each event's {@link AuditCaptured} with its path, as audit-collector stores it.
 * <p>
 * One record per batch rather than one per event: the outbox, its relay, the broker and the consumers handle a
 * hundred events as one row and one record, and the signature and numbering travel once (P1 in docs/benchmarks.md).
 */
public record AuditBatchCaptured(String host, String keyId, long firstSeq, String signature, List<Entry> events)
        implements DomainEvent {

    /** The most events in one batch: its record stays well below Kafka's default limit of 1 MB. */
    public static final int MAX_EVENTS = 500;

    /**
     * One event of the batch: {@code eventId} identifies it for good (audit-collector stores each event once by it),
     * the rest is {@link AuditCaptured}'s.
     */
    public record Entry(String eventId, String crqId, String kind, Instant occurredAt, JsonNode payload) {
        public Entry {
            Require.text(eventId, "eventId");
            if (crqId != null) {
                Require.text(crqId, "crqId");
            }
            Require.text(kind, "kind");
            Require.present(occurredAt, "occurredAt");
            Require.present(payload, "payload");
        }
    }

    public AuditBatchCaptured {
        Require.text(host, "host");
        Require.text(keyId, "keyId");
        if (firstSeq < 1) {
            throw new IllegalArgumentException("firstSeq must be 1 or more, not " + firstSeq);
        }
        Require.text(signature, "signature");
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("events must hold at least one event");
        }
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_EVENTS + " events, not " + events.size());
        }
        events = List.copyOf(events);
    }

    /**
     * Event {@code i} of the batch as the AuditCaptured it stands for, numbered {@code firstSeq + i} and with the
     * batch's signature, but without its audit path: for a reader that shows events rather than checks them
     * ({@code AuditSignature.unpack} computes the paths from the batch's tree).
     */
    public AuditCaptured event(int i) {
        Entry e = events.get(i);
        return new AuditCaptured(host, e.crqId(), e.kind(), e.occurredAt(), e.payload())
                .signed(firstSeq + i, keyId, signature, firstSeq, events.size(), null);
    }

    @Override
    public String partitionKey() {
        return host;
    }

    @Override
    public String subject() {
        return host;
    }
}
