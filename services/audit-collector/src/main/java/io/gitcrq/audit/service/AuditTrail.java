package io.gitcrq.audit.service;

import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.temporal.ChronoUnit;

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

    /** Stores the event unless it was stored before; {@code false} for a redelivery (the chain is not extended). */
    @Transactional
    public boolean capture(CloudEvent envelope, AuditCaptured captured) {
        // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
        return chain.append(envelope.id(), captured.host(), crqIdOf(envelope, captured), captured.kind(),
                captured.occurredAt().truncatedTo(ChronoUnit.MICROS), captured.payload().toString(), envelope.source());
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
