package io.gitcrq.audit.service;

import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.audit.domain.RegisteredKey;
import io.gitcrq.audit.domain.SignatureCheck;
import io.gitcrq.audit.domain.VerifiedStatements;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.audit.repository.HostKeyRepository;
import io.gitcrq.audit.repository.SignedHeadRepository;
import io.gitcrq.model.audit.AuditRejected;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.chain.Canonical;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps what the audit sources captured: each event once, filed under the CRQ it belongs to, as the next link of its
 * host's hash chain — once its host's signature verifies ({@link SignatureCheck}). A refused event is counted, kept as
 * a {@code rejected} record in audit-collector's own trail and handed back to be dead-lettered; one signed with a key
 * not registered yet is held until the key is registered ({@link HostKeys}).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    /**
     * An AuditCaptured as received: what is stored of it, the type of the record it came in, and its envelope as an
     * AuditCaptured's JSON (made when asked: only to hold it).
     */
    public record Received(NewAuditEvent event, String eventType, Supplier<String> envelope, String statement) {
        /** An event received alone: the statement its signature must be over is computed from its audit path. */
        public Received(NewAuditEvent event, String eventType, Supplier<String> envelope) {
            this(event, eventType, envelope, null);
        }

        String envelopeJson() {
            return envelope == null ? null : envelope.get();
        }
    }

    /** An event refused, and why: the caller dead-letters it. */
    public record Refused(String eventId, String reason) {}

    /** What became of events received together: how many were chained, held, and which were refused. */
    public record Outcome(int chained, int held, List<Refused> refused) {}

    private final AuditChain chain;
    private final AuditChainRepository chains;
    private final AuditEventRepository events;
    private final HostKeyRepository keys;
    private final GovernanceTrail governance;
    private final SignedHeadRepository heads;
    private final AuditMeasurements measurements;
    /** Batches verified already: the rest of a batch's events cost a hash path each, not a signature check. */
    private final VerifiedStatements verified = new VerifiedStatements(10_000);

    public AuditTrail(
            AuditChain chain,
            AuditChainRepository chains,
            AuditEventRepository events,
            HostKeyRepository keys,
            GovernanceTrail governance,
            SignedHeadRepository heads,
            AuditMeasurements measurements) {
        this.heads = heads;
        this.measurements = measurements;
        this.chain = chain;
        this.chains = chains;
        this.events = events;
        this.keys = keys;
        this.governance = governance;
    }

    /** {@link #captureAll} of one event. */
    @Transactional
    public Outcome capture(Received event) {
        return captureAll(List.of(event));
    }

    /**
     * Stores events received together, in one transaction, each host's in the given order; redeliveries are
     * skipped. If storing fails, none is stored.
     */
    @Transactional
    public Outcome captureAll(List<Received> received) {
        new TreeSet<>(received.stream().map(r -> r.event().host()).toList()).forEach(chains::lockHost);
        return decideAndStore(received);
    }

    /**
     * Checks each event's signature and chains, holds or refuses it; the caller holds the hosts' locks
     * ({@link AuditChainRepository#lockHost}), so no key is registered or revoked meanwhile.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Outcome decideAndStore(List<Received> received) {
        Map<String, List<RegisteredKey>> keysOfHost = new HashMap<>();
        Map<String, List<RegisteredKey>> keysWithId = new HashMap<>();
        Map<List<String>, Map<Long, String>> numbers = storedNumbers(received);
        List<NewAuditEvent> chainable = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        List<Received> refusedEvents = new ArrayList<>();
        List<SignatureCheck.Refusal> refusals = new ArrayList<>();
        int held = 0;
        for (Received r : received) {
            NewAuditEvent e = r.event();
            SignatureCheck.Verdict verdict = SignatureCheck.of(
                    e,
                    r.statement(),
                    keysOfHost.computeIfAbsent(e.host(), keys::ofHost),
                    e.keyId() == null ? List.of() : keysWithId.computeIfAbsent(e.keyId(), keys::withFingerprint),
                    verified);
            if (verdict.outcome() == SignatureCheck.Outcome.CHAIN) {
                String owner = numbers.computeIfAbsent(numbering(e), h -> new HashMap<>())
                        .putIfAbsent(e.hostSeq(), e.eventId());
                if (owner != null && !owner.equals(e.eventId())) {
                    verdict = new SignatureCheck.Verdict(
                            SignatureCheck.Outcome.REJECT,
                            "hostSeq " + e.hostSeq() + " of host " + e.host() + " is taken by event " + owner
                                    + ": a replay",
                            SignatureCheck.Refusal.REPLAY);
                }
            }
            switch (verdict.outcome()) {
                case CHAIN -> chainable.add(e);
                case HOLD -> {
                    keys.hold(e.eventId(), e.host(), e.keyId(), e.hostSeq(), r.envelopeJson());
                    held++;
                }
                case REJECT -> {
                    refused.add(new Refused(e.eventId(), verdict.reason()));
                    refusedEvents.add(r);
                    refusals.add(verdict.refusal());
                }
            }
        }
        int chained = chain.appendAll(chainable);
        // audit-collector's own chain is locked last, after the hosts' chains: always in this order.
        for (int i = 0; i < refused.size(); i++) {
            record(refusedEvents.get(i), refused.get(i).reason(), refusals.get(i));
        }
        measurements.held(held);
        return new Outcome(chained, held, refused);
    }

    /** A host numbers the events it signs with one key: numbers are unique per host and key. */
    private static List<String> numbering(NewAuditEvent e) {
        return List.of(e.host(), e.keyId());
    }

    /** The numbers stored already of the hosts and keys of these events, each with the event that has it. */
    private Map<List<String>, Map<Long, String>> storedNumbers(List<Received> received) {
        Map<List<String>, Set<Long>> wanted = new HashMap<>();
        for (Received r : received) {
            if (r.event().hostSeq() != null && r.event().keyId() != null) {
                wanted.computeIfAbsent(numbering(r.event()), h -> new TreeSet<>())
                        .add(r.event().hostSeq());
            }
        }
        Map<List<String>, Map<Long, String>> stored = new HashMap<>();
        wanted.forEach((numbering, seqs) ->
                stored.put(numbering, new HashMap<>(events.storedHostSeqs(numbering.get(0), numbering.get(1), seqs))));
        return stored;
    }

    /** Counts a refused event (once) and keeps it in audit-collector's own trail: what it claimed, never its payload. */
    private void record(Received r, String reason, SignatureCheck.Refusal refusal) {
        NewAuditEvent e = r.event();
        LOG.warnf("audit event %s claiming host %s refused: %s", e.eventId(), e.host(), reason);
        if (keys.reject(e.eventId(), r.eventType(), e.host(), e.keyId(), reason)) {
            measurements.rejected(refusal);
            governance.recordOwn(
                    "rejected " + e.eventId(),
                    new AuditRejected(e.eventId(), r.eventType(), e.source(), e.host(), e.keyId(), reason));
        }
    }

    /**
     * Keeps a head its host signed (verified with a key registered for the host) for verification; a head signed
     * with a key not registered yet is dropped (the host publishes its head again, every head interval). Refused like
     * an event: unsigned, a signature that does not verify, another host's or a revoked key.
     */
    @Transactional
    public Outcome head(CloudEvent envelope, AuditHeadSigned head) {
        chains.lockHost(head.host());
        SignatureCheck.Verdict verdict = SignatureCheck.of(
                head.host(),
                head.keyId(),
                true,
                keys.ofHost(head.host()),
                keys.withFingerprint(head.keyId()),
                key -> AuditSignature.verifyHead(head, key.publicKey()));
        switch (verdict.outcome()) {
            case CHAIN -> {
                heads.insert(envelope.id(), head);
                return new Outcome(0, 0, List.of());
            }
            case HOLD -> {
                LOG.debugf("signed head of host %s dropped: %s", head.host(), verdict.reason());
                return new Outcome(0, 0, List.of());
            }
            default -> {
                recordRefused(
                        envelope,
                        head.host(),
                        null,
                        "head",
                        head.signedAt(),
                        head.lastSeq(),
                        head.keyId(),
                        head.signature(),
                        verdict);
                return new Outcome(0, 0, List.of(new Refused(envelope.id(), verdict.reason())));
            }
        }
    }

    /**
     * The verdict on an exec's end (any exec-agent host may write the exec topic): shown only when signed with a key
     * registered for the host it names ({@link SignatureCheck.Outcome#CHAIN}). A refused one is recorded and counted
     * as a refused audit event is; one signed with a key not registered yet is not shown ({@code HOLD}: the exec's own
     * audit record, held until the key is registered, tells its end then).
     */
    @Transactional
    public SignatureCheck.Verdict execEnd(CloudEvent envelope, ExecFinished end) {
        boolean signed = end.keyId() != null && end.signature() != null;
        SignatureCheck.Verdict verdict = SignatureCheck.of(
                end.host(),
                end.keyId(),
                signed,
                keys.ofHost(end.host()),
                signed ? keys.withFingerprint(end.keyId()) : List.of(),
                key -> AuditSignature.verifyExecFinished(end, key.publicKey()));
        if (verdict.outcome() == SignatureCheck.Outcome.REJECT) {
            recordRefused(
                    envelope,
                    end.host(),
                    end.crqId(),
                    "exec-end",
                    end.endedAt() != null ? end.endedAt() : envelope.time(),
                    null,
                    end.keyId(),
                    end.signature(),
                    verdict);
        } else if (verdict.outcome() == SignatureCheck.Outcome.HOLD) {
            LOG.debugf("end of exec %s on %s not shown: %s", end.execId(), end.host(), verdict.reason());
        }
        return verdict;
    }

    /**
     * A refused signed thing that is no audit event (a head, an exec's end), recorded as a refused event is: what it
     * claimed ({@code kind} naming what it was), never its content.
     */
    private void recordRefused(
            CloudEvent envelope,
            String host,
            String crqId,
            String kind,
            Instant at,
            Long hostSeq,
            String keyId,
            String signature,
            SignatureCheck.Verdict verdict) {
        NewAuditEvent claimed = new NewAuditEvent(
                envelope.id(),
                host,
                crqId,
                kind,
                at,
                "{}",
                envelope.source(),
                hostSeq,
                keyId,
                signature,
                null,
                null,
                null);
        record(new Received(claimed, envelope.type(), () -> null), verdict.reason(), verdict.refusal());
    }

    /**
     * What is stored of the event; throws {@link MalformedEventException} for one that must not be stored, before
     * any database work, so that a batch can leave it out.
     */
    public Received toStore(CloudEvent envelope, AuditCaptured captured, String envelopeJson) {
        return toStore(
                envelope.id(),
                envelope.source(),
                captured,
                Canonical.text(captured.payload()),
                envelope.type(),
                () -> envelopeJson,
                null);
    }

    /**
     * What is stored of each event of a batch record ({@link AuditSignature#unpack}: each as its host would have
     * published it alone, with its id, number, the batch's signature and its audit path); throws
     * {@link MalformedEventException} as {@link #toStore(CloudEvent, AuditCaptured, String)} does, for the batch.
     */
    public List<Received> toStore(CloudEvent envelope, AuditBatchCaptured batch) {
        List<Received> received = new ArrayList<>(batch.events().size());
        for (AuditSignature.Unpacked u : AuditSignature.unpack(batch)) {
            // The statement comes from the tree of the record's own events: each event's path need not be
            // walked again to find it. The event's own envelope is made only if it is held.
            received.add(toStore(
                    u.eventId(),
                    envelope.source(),
                    u.event(),
                    u.payload(),
                    envelope.type(),
                    () -> EventCodec.toJson(
                            EventCodec.envelope(u.eventId(), envelope.source(), envelope.time(), u.event())),
                    u.statement()));
        }
        return received;
    }

    private Received toStore(
            String eventId,
            String source,
            AuditCaptured captured,
            Canonical.Text payload,
            String receivedType,
            Supplier<String> envelopeJson,
            String statement) {
        // The payload is written canonically once: that text is what is stored (a jsonb value, whatever its
        // spelling), and both the host's signed form and the chain hash embed it, so neither parses it again.
        // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
        return new Received(
                new NewAuditEvent(
                        eventId,
                        captured.host(),
                        crqIdOf(eventId, captured),
                        captured.kind(),
                        captured.occurredAt().truncatedTo(ChronoUnit.MICROS),
                        payload.text(),
                        source,
                        captured.hostSeq(),
                        captured.keyId(),
                        captured.signature(),
                        captured.batchFirstSeq(),
                        captured.batchSize(),
                        captured.batchProof(),
                        payload),
                receivedType,
                envelopeJson,
                statement);
    }

    /** An event held for its key, read back from its envelope. */
    Received toStore(String envelopeJson) {
        CloudEvent envelope = EventCodec.parse(envelopeJson);
        return toStore(envelope, (AuditCaptured) EventCodec.dataOf(envelope), envelopeJson);
    }

    /**
     * An audit row nobody can find by its CRQ is lost evidence: an event naming an invalid CRQ is malformed
     * (dead-lettered, where it stays visible) rather than filed under a name no query matches. An event naming none
     * is of the host's own trail (a refused request that named no CRQ the host knows): stored with crqId null, found
     * by its host.
     */
    private static String crqIdOf(String eventId, AuditCaptured captured) {
        if (captured.crqId() == null) {
            return null;
        }
        try {
            return CrqId.parse(captured.crqId()).toString();
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event " + eventId + ": " + e.getMessage(), e);
        }
    }
}
