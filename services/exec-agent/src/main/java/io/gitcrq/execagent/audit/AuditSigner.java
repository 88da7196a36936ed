package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.repository.AuditSequenceRepository;
import io.gitcrq.kit.outbox.OutboxSealer;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.DomainEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers and signs every AuditCaptured as it enters the outbox, whichever code publishes it: the host's next
 * hostSeq (taken in the outbox's transaction, so a rolled back event takes no number) and the host key's signature
 * of the event's signed form ({@link AuditSignature}). Other events pass unchanged.
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
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DomainEvent e : events) {
            if (e instanceof AuditCaptured a) {
                counts.merge(a.host(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return List.copyOf(events);
        }
        // Hosts in name order: two transactions numbering the same hosts never wait on each other crosswise.
        Map<String, long[]> next = new LinkedHashMap<>();
        counts.keySet().stream().sorted().forEach(host -> {
            long last = sequences.reserve(host, counts.get(host));
            next.put(host, new long[] {last - counts.get(host) + 1});
        });
        Map<String, String> lastDigest = new LinkedHashMap<>();
        List<DomainEvent> sealed = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            if (e instanceof AuditCaptured a) {
                long hostSeq = next.get(a.host())[0]++;
                AuditCaptured signed = AuditSignature.sign(a, hostSeq, key.privateKey(), key.keyId());
                lastDigest.put(
                        a.host(),
                        AuditSignature.digest(AuditSignature.canonical(
                                signed.host(),
                                signed.crqId(),
                                signed.kind(),
                                signed.occurredAt(),
                                signed.payload(),
                                hostSeq)));
                sealed.add(signed);
            } else {
                sealed.add(e);
            }
        }
        lastDigest.forEach((host, digest) -> sequences.lastSigned(host, digest, key.keyId()));
        return sealed;
    }
}
