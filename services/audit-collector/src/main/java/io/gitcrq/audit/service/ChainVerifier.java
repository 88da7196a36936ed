package io.gitcrq.audit.service;

import static io.gitcrq.model.api.audit.ChainVerification.broken;

import io.gitcrq.model.chain.ChainHash;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.model.api.audit.ChainVerification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
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

    public ChainVerifier(AuditEventRepository events, AuditChainRepository chains) {
        this.events = events;
        this.chains = chains;
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
}
