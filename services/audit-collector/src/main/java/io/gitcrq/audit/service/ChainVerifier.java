package io.gitcrq.audit.service;

import static io.gitcrq.model.api.audit.ChainVerification.broken;

import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.audit.domain.RegisteredKey;
import io.gitcrq.audit.domain.SignatureCheck;
import io.gitcrq.audit.domain.VerifiedStatements;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.audit.repository.HostKeyRepository;
import io.gitcrq.audit.repository.SignedHeadRepository;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.chain.ChainHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recomputes hosts' hash chains from what is stored and names the first broken link. A chain starts at
 * sequence 1 after the genesis hash, or after the latest retention checkpoint; it must run without gaps up to
 * its head, each row's prev_hash being the previous hash and its own hash matching its content.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int PAGE = 1000;

    private final AuditEventRepository events;
    private final AuditChainRepository chains;
    private final HostKeyRepository keys;
    private final SignedHeadRepository heads;
    private final CollectorKey collectorKey;

    public ChainVerifier(
            AuditEventRepository events,
            AuditChainRepository chains,
            HostKeyRepository keys,
            SignedHeadRepository heads,
            CollectorKey collectorKey) {
        this.events = events;
        this.chains = chains;
        this.keys = keys;
        this.heads = heads;
        this.collectorKey = collectorKey;
    }

    /**
     * Verifies one host's chain, or every host's (in name order, stopping at the first broken one), in one
     * read-only snapshot: events appended or deleted meanwhile are not half seen.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ChainVerification verify(Optional<String> host) {
        events.readOnlySnapshot();
        if (host.isPresent()) {
            if (!chains.knows(host.get())) {
                throw new EntityNotFoundException("no audit events of host " + host.get());
            }
            return verifyHost(host.get(), null);
        }
        List<ChainVerification> all = new ArrayList<>();
        for (String h : chains.hosts()) {
            ChainVerification result = verifyHost(h, null);
            if (!result.ok()) {
                return result;
            }
            all.add(result);
        }
        return ChainVerification.allIntact(all);
    }

    /**
     * Verifies a host's chain from its checkpoint up to sequence {@code upTo} (null: the whole chain, up to
     * its head, and no unchained rows). Runs in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ChainVerification verifyHost(String host, Long upTo) {
        Optional<AuditChainRepository.Head> head = chains.head(host);
        Optional<AuditChainRepository.Checkpoint> checkpoint = chains.latestCheckpoint(host);
        Long checkpointSequence =
                checkpoint.map(AuditChainRepository.Checkpoint::sequence).orElse(null);
        String checkpointHash =
                checkpoint.map(AuditChainRepository.Checkpoint::hash).orElse(null);
        long expected = checkpoint.map(c -> c.sequence() + 1).orElse(1L);
        String prev = checkpoint.map(AuditChainRepository.Checkpoint::hash).orElse(ChainHash.GENESIS);
        String lastEventId = null;
        long verified = 0;
        long after = Long.MIN_VALUE; // rows at or before the checkpoint must not exist either
        if (checkpoint.isPresent() && !collectorKey.signed(checkpoint.get())) {
            return broken(
                    host,
                    0,
                    checkpointSequence,
                    null,
                    null,
                    checkpointHash,
                    ChainVerification.CHECKPOINT_UNSIGNED,
                    "the retention checkpoint at sequence " + checkpointSequence
                            + " does not carry audit-collector's signature (key " + collectorKey.keyId()
                            + "): it was not left by retention, or was changed since");
        }
        Signatures signatures = new Signatures(host, checkpoint);
        while (true) {
            List<AuditEvent> page = events.chainPage(host, after, upTo, PAGE);
            for (AuditEvent row : page) {
                long sequence = row.sequence;
                if (sequence < expected) {
                    return broken(
                            host,
                            verified,
                            sequence,
                            row.eventId,
                            null,
                            row.hash,
                            ChainVerification.OUT_OF_ORDER,
                            "sequence " + sequence
                                    + " is still stored though retention deleted the chain up to sequence "
                                    + checkpointSequence);
                }
                if (head.isPresent() && sequence > head.get().lastSequence()) {
                    return broken(
                            host,
                            verified,
                            sequence,
                            row.eventId,
                            head.get().lastHash(),
                            row.hash,
                            ChainVerification.BEYOND_HEAD,
                            "sequence " + sequence + " lies beyond the chain's head (sequence "
                                    + head.get().lastSequence() + "): it was not appended by audit-collector");
                }
                if (sequence > expected) {
                    if (prev.equals(row.prevHash)) {
                        return broken(
                                host,
                                verified,
                                sequence,
                                row.eventId,
                                null,
                                row.hash,
                                ChainVerification.SEQUENCE_GAP,
                                "sequence " + expected + " was expected here but the row says " + sequence);
                    }
                    return broken(
                            host,
                            verified,
                            expected,
                            null,
                            row.prevHash,
                            null,
                            ChainVerification.ROW_MISSING,
                            "sequence " + expected + (sequence - 1 > expected ? " to " + (sequence - 1) : "")
                                    + " is gone: sequence " + sequence + " (event " + row.eventId
                                    + ") follows sequence "
                                    + (expected - 1));
                }
                if (!prev.equals(row.prevHash)) {
                    return broken(
                            host,
                            verified,
                            sequence,
                            row.eventId,
                            prev,
                            row.prevHash,
                            ChainVerification.LINK_BROKEN,
                            "its prev_hash is not the hash of "
                                    + (checkpointSequence != null && expected - 1 == checkpointSequence
                                            ? "the retention checkpoint"
                                            : expected == 1 ? "the chain's start" : "sequence " + (expected - 1)));
                }
                String recomputed = ChainHash.hash(
                        prev, row.eventId, row.host, row.crqId, row.kind, row.occurredAt, row.payload, sequence);
                if (!recomputed.equals(row.hash)) {
                    return broken(
                            host,
                            verified,
                            sequence,
                            row.eventId,
                            recomputed,
                            row.hash,
                            ChainVerification.ROW_CHANGED,
                            "the stored row no longer hashes to its stored hash: it was changed after it was appended");
                }
                String unsigned = signatures.problem(row);
                if (unsigned != null) {
                    return broken(
                            host,
                            verified,
                            sequence,
                            row.eventId,
                            null,
                            row.hash,
                            row.hostSeq == null ? ChainVerification.UNSIGNED : ChainVerification.SIGNATURE_INVALID,
                            unsigned);
                }
                String gap = signatures.numbering(row);
                if (gap != null) {
                    return broken(
                            host, verified, sequence, row.eventId, null, row.hash, ChainVerification.HOST_SEQ_GAP, gap);
                }
                prev = row.hash;
                lastEventId = row.eventId;
                expected++;
                verified++;
                after = sequence;
            }
            events.forgetLoaded(); // rows are read once: keep the session small on long chains
            if (page.size() < PAGE) {
                break;
            }
        }
        long last = expected - 1;
        if (upTo != null) {
            if (last < upTo) {
                return broken(
                        host,
                        verified,
                        expected,
                        null,
                        null,
                        null,
                        ChainVerification.ROW_MISSING,
                        "sequence " + expected + " is gone (the chain was to be read up to sequence " + upTo + ")");
            }
            return ChainVerification.intact(host, verified, last, prev, checkpointSequence, checkpointHash);
        }
        if (head.isEmpty()) {
            if (verified > 0 || checkpoint.isPresent()) {
                return broken(
                        host,
                        verified,
                        last,
                        lastEventId,
                        null,
                        prev,
                        ChainVerification.HEAD_MISMATCH,
                        "the host has chained events but no chain head: the head row was deleted");
            }
        } else if (head.get().lastSequence() > last) {
            return broken(
                    host,
                    verified,
                    expected,
                    null,
                    head.get().lastSequence() == expected ? head.get().lastHash() : null,
                    null,
                    ChainVerification.ROW_MISSING,
                    "sequence " + expected
                            + (head.get().lastSequence() > expected
                                    ? " to " + head.get().lastSequence()
                                    : "") + " is gone: the chain's head is at sequence "
                            + head.get().lastSequence());
        } else if (!head.get().lastHash().equals(prev)) {
            return broken(
                    host,
                    verified,
                    last,
                    lastEventId,
                    head.get().lastHash(),
                    prev,
                    ChainVerification.HEAD_MISMATCH,
                    "the chain's head records another hash for its last event: the last row was replaced");
        }
        ChainVerification cut = signatures.heads(verified, last, lastEventId, prev, checkpoint);
        if (cut != null) {
            return cut;
        }
        Optional<AuditEvent> unchained = events.unchained(host, 1).stream().findFirst();
        if (unchained.isPresent()) {
            return broken(
                    host,
                    verified,
                    null,
                    unchained.get().eventId,
                    null,
                    null,
                    ChainVerification.NOT_CHAINED,
                    "the event has no place in the chain (stored before chaining; restart audit-collector to chain it)");
        }
        return ChainVerification.intact(host, verified, last, prev, checkpointSequence, checkpointHash);
    }

    /**
     * The host signatures of one chain's rows: each row of a host's chain after those stored before hosts signed
     * must carry the signature of a key registered for the host, over the row as stored (received before the key
     * was revoked, if it was). audit-collector's own chains ({@code gitcrq/...}) are not signed by a host.
     */
    private final class Signatures {
        private final String host;
        private final boolean hostChain;
        private final long unsignedUntil;
        private final Map<String, RegisteredKey> keysById = new HashMap<>();
        /** Batches verified in this run: each batch's signature is checked once, each event's path every time. */
        private final VerifiedStatements verified = new VerifiedStatements(10_000);

        /** The host's last number seen so far in the chain, and its key (from the checkpoint at first). */
        private Long lastHostSeq;

        private String lastKeyId;

        Signatures(String host, Optional<AuditChainRepository.Checkpoint> checkpoint) {
            this.host = host;
            this.lastHostSeq =
                    checkpoint.map(AuditChainRepository.Checkpoint::hostSeq).orElse(null);
            this.lastKeyId =
                    checkpoint.map(AuditChainRepository.Checkpoint::hostKeyId).orElse(null);
            this.hostChain = !host.startsWith(GovernanceChange.chainOf(""));
            this.unsignedUntil = hostChain ? chains.unsignedUntil(host) : 0;
            if (hostChain) {
                keys.ofHost(host).forEach(k -> keysById.put(k.fingerprint(), k));
            }
        }

        /**
         * What is wrong with the host's numbering at this (signed) row: each number follows the one before, across
         * the retention checkpoint too; a new key may start again at 1 (a host set up anew). Null when nothing is.
         */
        String numbering(AuditEvent row) {
            if (!hostChain || row.hostSeq == null) {
                return null;
            }
            long expected = lastHostSeq == null ? 1 : lastHostSeq + 1;
            boolean restarted = lastHostSeq != null && !row.keyId.equals(lastKeyId) && row.hostSeq == 1;
            String problem = row.hostSeq == expected || restarted
                    ? null
                    : "the host numbered this event " + row.hostSeq + " but " + expected
                            + " comes next: "
                            + (row.hostSeq > expected
                                    ? "events " + expected
                                            + (row.hostSeq - 1 > expected ? " to " + (row.hostSeq - 1) : "")
                                            + " of the host are missing and no signed checkpoint says they were deleted"
                                    : "the host's events are out of their order");
            lastHostSeq = row.hostSeq;
            lastKeyId = row.keyId;
            return problem;
        }

        /**
         * What the heads the host signed say of the chain's end: for each key's latest head, the event it names
         * must be in the chain with the digest the host signed, or deleted by retention (the checkpoint's number
         * reaches it). Null when they agree.
         */
        ChainVerification heads(
                long verified,
                long last,
                String lastEventId,
                String lastHash,
                Optional<AuditChainRepository.Checkpoint> checkpoint) {
            if (!hostChain) {
                return null;
            }
            for (SignedHeadRepository.StoredHead head : heads.latestPerKey(host)) {
                Optional<AuditEvent> named = events.byHostSeq(host, head.keyId(), head.lastSeq());
                if (named.isPresent()) {
                    AuditEvent row = named.get();
                    String digest = AuditSignature.digest(AuditSignature.canonical(
                            row.host, row.crqId, row.kind, row.occurredAt, row.payload, row.hostSeq));
                    if (!digest.equals(head.lastDigest())) {
                        return broken(
                                host,
                                verified,
                                row.sequence,
                                row.eventId,
                                head.lastDigest(),
                                digest,
                                ChainVerification.TRUNCATED,
                                "the host signed its head at hostSeq " + head.lastSeq() + " (" + head.signedAt()
                                        + ") with another event there: the chain's end was replaced");
                    }
                    continue;
                }
                boolean deleted = checkpoint
                        .filter(c -> head.keyId().equals(c.hostKeyId())
                                && c.hostSeq() != null
                                && c.hostSeq() >= head.lastSeq())
                        .isPresent();
                if (deleted) {
                    continue;
                }
                boolean none = verified == 0 && checkpoint.isEmpty();
                return broken(
                        host,
                        verified,
                        none ? null : last,
                        none ? null : lastEventId,
                        head.lastDigest(),
                        none ? null : lastHash,
                        none ? ChainVerification.CHAIN_DELETED : ChainVerification.TRUNCATED,
                        (none
                                ? "the host signed a head at hostSeq " + head.lastSeq() + " (" + head.signedAt()
                                        + ") but none of its events is stored: its chain was deleted"
                                : "the host signed a head at hostSeq " + head.lastSeq() + " (" + head.signedAt()
                                        + ") but its chain ends at hostSeq " + lastHostSeq
                                        + ": events were cut off its end"));
            }
            return null;
        }

        /** What is wrong with the row's signature; null when nothing is. */
        String problem(AuditEvent row) {
            if (!hostChain) {
                return null;
            }
            if (row.hostSeq == null) {
                return row.sequence <= unsignedUntil
                        ? null
                        : "the row carries no signature of its host, though it was stored after hosts signed their"
                                + " events (rows up to sequence " + unsignedUntil + " were stored before)";
            }
            RegisteredKey key = keysById.get(row.keyId);
            if (key == null) {
                return "signed with key " + row.keyId + ", which is not registered for host " + host;
            }
            if (key.revoked() && row.receivedAt.isAfter(key.revokedAt())) {
                return "received at " + row.receivedAt + ", after its key " + row.keyId + " was revoked";
            }
            NewAuditEvent stored = new NewAuditEvent(
                    row.eventId,
                    row.host,
                    row.crqId,
                    row.kind,
                    row.occurredAt,
                    row.payload,
                    row.source,
                    row.hostSeq,
                    row.keyId,
                    row.signature,
                    row.batchFirstSeq,
                    row.batchSize,
                    NewAuditEvent.proofOf(row.batchProof));
            return SignatureCheck.verifies(stored, key, verified)
                    ? null
                    : "the host's signature (key " + row.keyId + ") does not verify over the row as stored:"
                            + " it was changed after its host signed it";
        }
    }
}
