package io.gitcrq.audit.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import io.gitcrq.model.event.AuditHeadSigned;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The heads hosts signed ({@code audit_signed_head}): every one received, verified before it is stored. */
@ApplicationScoped
public class SignedHeadRepository {

    /** A head as stored: the host's key, its last number and that event's digest, when the host signed it. */
    public record StoredHead(
            String host, String keyId, long lastSeq, String lastDigest, Instant signedAt, String signature) {}

    private final EntityManager em;

    public SignedHeadRepository(EntityManager em) {
        this.em = em;
    }

    /** Stores a verified head; the same head again (a redelivery, an unchanged head) changes nothing. */
    public void insert(String eventId, AuditHeadSigned head) {
        em.createNativeQuery("INSERT INTO audit_signed_head (host, key_id, last_seq, last_digest, signed_at, signature,"
                        + " event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
                .setParameter(1, head.host())
                .setParameter(2, head.keyId())
                .setParameter(3, head.lastSeq())
                .setParameter(4, head.lastDigest())
                .setParameter(5, head.signedAt().atOffset(ZoneOffset.UTC))
                .setParameter(6, head.signature())
                .setParameter(7, eventId)
                .executeUpdate();
    }

    /** The latest head of each key of the host (the highest number it signed). */
    @SuppressWarnings("unchecked")
    public List<StoredHead> latestPerKey(String host) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT DISTINCT ON (key_id) key_id, last_seq, last_digest, signed_at,"
                                + " signature FROM audit_signed_head WHERE host = ?1 ORDER BY key_id, last_seq DESC")
                .setParameter(1, host)
                .getResultList();
        return rows.stream()
                .map(r -> new StoredHead(
                        host, (String) r[0], ((Number) r[1]).longValue(), (String) r[2], instant(r[3]), (String) r[4]))
                .toList();
    }
}
