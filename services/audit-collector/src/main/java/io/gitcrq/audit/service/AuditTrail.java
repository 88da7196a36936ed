package io.gitcrq.audit.service;

import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Keeps what the audit sources captured: each event once, filed under the CRQ it belongs to, as the next
 * link of its host's hash chain.
 */
@ApplicationScoped
public class AuditTrail {

    private final AuditChain chain;

    public AuditTrail(AuditChain chain) {
        this.chain = chain;
    }

    /**
     * Stores the event (made ready with {@link #toStore}) unless it was stored before; {@code false} for a
     * redelivery (the chain is not extended).
     */
    @Transactional
    public boolean capture(NewAuditEvent event) {
        return chain.append(event);
    }

    /**
     * Stores events received together, in one transaction, each host's in the given order; redeliveries are
     * skipped. The number stored. If one of them fails, none is stored.
     */
    @Transactional
    public int captureAll(List<NewAuditEvent> events) {
        return chain.appendAll(events);
    }

    /**
     * What is stored of the event; throws {@link MalformedEventException} for one that must not be stored, before
     * any database work, so that a batch can leave it out.
     */
    public NewAuditEvent toStore(CloudEvent envelope, AuditCaptured captured) {
        // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
        return new NewAuditEvent(
                envelope.id(),
                captured.host(),
                crqIdOf(envelope, captured),
                captured.kind(),
                captured.occurredAt().truncatedTo(ChronoUnit.MICROS),
                captured.payload().toString(),
                envelope.source());
    }

    /**
     * An audit row nobody can find by its CRQ is lost evidence: an event naming no valid CRQ is malformed
     * (dead-lettered, where it stays visible) rather than filed under a name no query matches.
     */
    private static String crqIdOf(CloudEvent envelope, AuditCaptured captured) {
        try {
            return CrqId.parse(captured.crqId()).toString();
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event " + envelope.id() + ": " + e.getMessage(), e);
        }
    }
}
