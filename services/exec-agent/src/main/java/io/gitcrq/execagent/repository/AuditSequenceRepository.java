package io.gitcrq.execagent.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The host's numbering of its audit events ({@code audit_host_sequence}). */
@ApplicationScoped
public class AuditSequenceRepository {

    /** Where a host's numbering stands: its last hostSeq and the digest of that event's signed form. */
    public record Position(String host, long lastSeq, String lastDigest, String keyId) {}

    private final EntityManager em;

    public AuditSequenceRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the next {@code count} numbers of the host and returns the last of them; the host's row stays locked
     * until the transaction ends, so numbers are handed out, and committed, in order.
     */
    public long reserve(String host, int count) {
        Object last = em.createNativeQuery("INSERT INTO audit_host_sequence (host, last_seq) VALUES (?1, ?2) "
                        + "ON CONFLICT (host) DO UPDATE SET last_seq = audit_host_sequence.last_seq + EXCLUDED.last_seq, "
                        + "updated_at = now() RETURNING last_seq")
                .setParameter(1, host)
                .setParameter(2, (long) count)
                .getSingleResult();
        return ((Number) last).longValue();
    }

    /** Records the digest of the host's last numbered event (in the transaction that reserved it). */
    public void lastSigned(String host, String digest, String keyId) {
        em.createNativeQuery("UPDATE audit_host_sequence SET last_digest = ?2, key_id = ?3 WHERE host = ?1")
                .setParameter(1, host)
                .setParameter(2, digest)
                .setParameter(3, keyId)
                .executeUpdate();
    }

    /** Where each host's numbering stands (committed). */
    @SuppressWarnings("unchecked")
    public List<Position> positions() {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT host, last_seq, last_digest, key_id FROM audit_host_sequence "
                                + "WHERE last_digest IS NOT NULL ORDER BY host")
                .getResultList();
        return rows.stream()
                .map(r -> new Position((String) r[0], ((Number) r[1]).longValue(), (String) r[2], (String) r[3]))
                .toList();
    }

    public Optional<Position> position(String host) {
        return positions().stream().filter(p -> p.host().equals(host)).findFirst();
    }
}
