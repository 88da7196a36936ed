package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.repository.AuditSequenceRepository;
import io.gitcrq.kit.outbox.OutboxSealer;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.ExecFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Numbers and signs every AuditCaptured as it enters the outbox, whichever code publishes it: the host's next
 * hostSeq (taken in the outbox's transaction, so a rolled back event takes no number) and one signature of the host
 * key per host and transaction, over the Merkle root of its events. A host's events of one transaction become one
 * record ({@link AuditBatchCaptured}, at most {@value AuditBatchCaptured#MAX_EVENTS} events each, in the place of the
 * first): one outbox row, one Kafka record and one signature for the lot, where each event used to travel alone with
 * its signature and audit path. An exec's end (ExecFinished) is signed alone by the host key
 * ({@link AuditSignature#signExecFinished}): any host may write the exec topic, so its readers believe an end only
 * with its host's signature. Other events pass unchanged.
 */
@ApplicationScoped
public class AuditSigner implements OutboxSealer {

    private final HostKey key;
    private final AuditSequenceRepository sequences;

    public AuditSigner(HostKey key, AuditSequenceRepository sequences) {
        this.key = key;
        this.sequences = sequences;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<DomainEvent> seal(List<? extends DomainEvent> events) {
        Map<String, List<AuditCaptured>> byHost = new TreeMap<>();
        for (DomainEvent e : events) {
            if (e instanceof AuditCaptured a) {
                byHost.computeIfAbsent(a.host(), h -> new ArrayList<>()).add(a);
            }
        }
        // Hosts in name order (a TreeMap): two transactions numbering the same hosts never wait on each other
        // crosswise.
        Map<String, List<AuditBatchCaptured>> batchesByHost = new LinkedHashMap<>();
        byHost.forEach((host, captured) -> {
            long next = sequences.reserve(host, captured.size()) - captured.size() + 1;
            List<AuditBatchCaptured> batches = new ArrayList<>();
            for (int from = 0; from < captured.size(); from += AuditBatchCaptured.MAX_EVENTS) {
                List<AuditCaptured> part =
                        captured.subList(from, Math.min(captured.size(), from + AuditBatchCaptured.MAX_EVENTS));
                batches.add(AuditSignature.signBatchRecord(part, next + from, key.privateKey(), key.keyId()));
            }
            batchesByHost.put(host, batches);
            AuditCaptured last = captured.get(captured.size() - 1);
            sequences.lastSigned(
                    host,
                    AuditSignature.digest(AuditSignature.canonical(
                            last.host(),
                            last.crqId(),
                            last.kind(),
                            last.occurredAt(),
                            last.payload(),
                            next + captured.size() - 1)),
                    key.keyId());
        });
        // Each host's batches where its first audit event was, the other events in their places.
        List<DomainEvent> sealed = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            if (e instanceof AuditCaptured a) {
                List<AuditBatchCaptured> batches = batchesByHost.remove(a.host());
                if (batches != null) {
                    sealed.addAll(batches);
                }
            } else {
                sealed.add(
                        e instanceof ExecFinished end
                                ? AuditSignature.signExecFinished(end, key.privateKey(), key.keyId())
                                : e);
            }
        }
        return sealed;
    }
}
