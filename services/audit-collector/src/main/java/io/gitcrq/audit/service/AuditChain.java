package io.gitcrq.audit.service;

import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.model.chain.ChainHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appends audit events to their host's hash chain. The host's head row is locked for the rest of the
 * transaction that inserts the event, so appends to one host are serialized however many consumer threads
 * and instances store events; appends to different hosts do not wait for each other.
 */
@ApplicationScoped
public class AuditChain {

    private final AuditEventRepository events;
    private final AuditChainRepository chains;
    private final AuditMeasurements measurements;

    public AuditChain(AuditEventRepository events, AuditChainRepository chains, AuditMeasurements measurements) {
        this.measurements = measurements;
        this.events = events;
        this.chains = chains;
    }

    /**
     * Stores the event as the next link of its host's chain; {@code false}, and the chain unchanged, when the
     * event id is stored already (a redelivery). {@code occurredAt} must already be what the database keeps
     * (microseconds), since the hash covers it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean append(NewAuditEvent e) {
        AuditChainRepository.Head head = chains.lockHead(e.host());
        long sequence = head.lastSequence() + 1;
        String hash = hashOf(head.lastHash(), e, sequence);
        if (!events.insertChained(e, sequence, head.lastHash(), hash)) {
            return false;
        }
        chains.advance(e.host(), sequence, hash);
        measurements.stored(1);
        return true;
    }

    /**
     * Appends events received together (one poll of the audit topic) to their hosts' chains, each host's in the
     * order given, with one COPY of their rows and one head update per host; the number appended. An event whose id is
     * stored already, or that came earlier in the list, is a redelivery and is skipped without a link. The heads
     * are locked in host-name order, so two instances appending batches never wait on each other crosswise; with
     * them held, no other writer can store an event of these hosts, so what is found stored is all there is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int appendAll(List<NewAuditEvent> batch) {
        Map<String, List<NewAuditEvent>> byHost = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (NewAuditEvent e : batch) {
            if (ids.add(e.eventId())) {
                byHost.computeIfAbsent(e.host(), h -> new ArrayList<>()).add(e);
            }
        }
        Map<String, AuditChainRepository.Head> heads = new LinkedHashMap<>();
        byHost.keySet().forEach(host -> heads.put(host, chains.lockHead(host)));
        Set<String> stored = events.storedIds(ids);
        List<AuditEventRepository.ChainedRow> rows = new ArrayList<>(ids.size());
        for (Map.Entry<String, List<NewAuditEvent>> host : byHost.entrySet()) {
            AuditChainRepository.Head head = heads.get(host.getKey());
            long sequence = head.lastSequence();
            String prev = head.lastHash();
            for (NewAuditEvent e : host.getValue()) {
                if (stored.contains(e.eventId())) {
                    continue;
                }
                sequence++;
                String hash = hashOf(prev, e, sequence);
                rows.add(new AuditEventRepository.ChainedRow(e, sequence, prev, hash));
                prev = hash;
            }
            if (sequence != head.lastSequence()) {
                chains.advance(host.getKey(), sequence, prev);
            }
        }
        events.insertAllChained(rows);
        measurements.stored(rows.size());
        return rows.size();
    }

    /** The event's chain hash, over its payload's canonical text as written on receipt (not parsed again). */
    private static String hashOf(String prevHash, NewAuditEvent e, long sequence) {
        return ChainHash.hash(
                prevHash,
                ChainHash.canonical(
                        e.eventId(), e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payloadCanonical(), sequence));
    }

    /**
     * Appends up to {@code limit} of the host's unchained rows (stored before chaining existed) to its chain,
     * in the order they were received; the number chained. The hash is computed from the row as stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int chainStoredRows(String host, int limit) {
        AuditChainRepository.Head head = chains.lockHead(host);
        List<AuditEvent> rows = events.unchained(host, limit);
        long sequence = head.lastSequence();
        String prev = head.lastHash();
        int chained = 0;
        for (AuditEvent row : rows) {
            String hash = ChainHash.hash(
                    prev, row.eventId, row.host, row.crqId, row.kind, row.occurredAt, row.payload, sequence + 1);
            if (events.chainStoredRow(row.eventId, sequence + 1, prev, hash)) {
                sequence++;
                prev = hash;
                chained++;
            }
        }
        if (chained > 0) {
            chains.advance(host, sequence, prev);
            chains.storedUnsignedUpTo(host, sequence); // rows stored before hosts signed: unsigned by nature
        }
        return rows.size();
    }
}
