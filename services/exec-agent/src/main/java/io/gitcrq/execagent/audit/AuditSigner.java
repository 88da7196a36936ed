package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.repository.AuditSequenceRepository;
import io.gitcrq.kit.outbox.OutboxSealer;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.ExecFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Numbers and signs every AuditCaptured as it enters the outbox, whichever code publishes it: the host's next
 * hostSeq (taken in the outbox's transaction, so a rolled back event takes no number) and one signature of the host
 * key per host and transaction, over the Merkle root of its events, each event carrying its audit path
 * ({@link AuditSignature#signBatch}): one Ed25519 signature per batch instead of one per event. An exec's end
 * (ExecFinished) is signed alone by the host key ({@link AuditSignature#signExecFinished}): any host may write the
 * exec topic, so its readers believe an end only with its host's signature. Other events pass unchanged.
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
        // One batch per host: its events in the order given, numbered from the host's first reserved number and
        // signed once (the Merkle root of the batch), each carrying its own audit path.
        Map<String, List<AuditCaptured>> batches = new TreeMap<>();
        for (DomainEvent e : events) {
            if (e instanceof AuditCaptured a) {
                batches.computeIfAbsent(a.host(), h -> new ArrayList<>()).add(a);
            }
        }
        if (batches.isEmpty()) {
            return events.stream().map(this::signedIfAnEnd).toList();
        }
        // Hosts in name order (a TreeMap): two transactions numbering the same hosts never wait on each other
        // crosswise.
        Map<String, Iterator<AuditCaptured>> signedByHost = new LinkedHashMap<>();
        Map<String, String> lastDigest = new LinkedHashMap<>();
        batches.forEach((host, batch) -> {
            long first = sequences.reserve(host, batch.size()) - batch.size() + 1;
            List<AuditCaptured> signed = AuditSignature.signBatch(batch, first, key.privateKey(), key.keyId());
            signedByHost.put(host, signed.iterator());
            lastDigest.put(host, AuditSignature.digest(AuditSignature.canonical(signed.get(signed.size() - 1))));
        });
        List<DomainEvent> sealed = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            sealed.add(e instanceof AuditCaptured a ? signedByHost.get(a.host()).next() : signedIfAnEnd(e));
        }
        lastDigest.forEach((host, digest) -> sequences.lastSigned(host, digest, key.keyId()));
        return sealed;
    }

    private DomainEvent signedIfAnEnd(DomainEvent e) {
        return e instanceof ExecFinished end ? AuditSignature.signExecFinished(end, key.privateKey(), key.keyId()) : e;
    }
}
