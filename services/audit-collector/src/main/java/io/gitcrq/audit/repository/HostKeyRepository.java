package io.gitcrq.audit.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import io.gitcrq.audit.domain.RegisteredKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The registered host keys ({@code audit_host_key}), the events held for a key not registered yet, the refusals. */
@ApplicationScoped
public class HostKeyRepository {

    private static final String COLUMNS =
            "host, fingerprint, public_key, registered_by, registered_at, revoked_by, revoked_at";

    /** An event held until its key is registered: its envelope as received. */
    public record Held(String eventId, String host, String keyId, long hostSeq, String envelope) {}

    /** A refused event as counted. */
    public record Rejection(
            String eventId, String eventType, String hostClaimed, String keyId, String reason, java.time.Instant at) {}

    private final EntityManager em;

    public HostKeyRepository(EntityManager em) {
        this.em = em;
    }

    public List<RegisteredKey> all() {
        return keys("SELECT " + COLUMNS + " FROM audit_host_key ORDER BY host, registered_at, fingerprint", null);
    }

    public List<RegisteredKey> ofHost(String host) {
        return keys("SELECT " + COLUMNS + " FROM audit_host_key WHERE host = ?1 ORDER BY registered_at", host);
    }

    public List<RegisteredKey> withFingerprint(String fingerprint) {
        return keys("SELECT " + COLUMNS + " FROM audit_host_key WHERE fingerprint = ?1 ORDER BY host", fingerprint);
    }

    public Optional<RegisteredKey> find(String host, String fingerprint) {
        return ofHost(host).stream()
                .filter(k -> k.fingerprint().equals(fingerprint))
                .findFirst();
    }

    @SuppressWarnings("unchecked")
    private List<RegisteredKey> keys(String sql, String parameter) {
        var query = em.createNativeQuery(sql);
        if (parameter != null) {
            query.setParameter(1, parameter);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new RegisteredKey(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        instant(r[4]),
                        (String) r[5],
                        r[6] == null ? null : instant(r[6])))
                .toList();
    }

    public void insert(String host, String fingerprint, String publicKeyPem, String registeredBy) {
        em.createNativeQuery("INSERT INTO audit_host_key (host, fingerprint, public_key, registered_by) "
                        + "VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, host)
                .setParameter(2, fingerprint)
                .setParameter(3, publicKeyPem)
                .setParameter(4, registeredBy)
                .executeUpdate();
    }

    public void revoke(String host, String fingerprint, String revokedBy) {
        em.createNativeQuery("UPDATE audit_host_key SET revoked_by = ?3, revoked_at = now() "
                        + "WHERE host = ?1 AND fingerprint = ?2 AND revoked_at IS NULL")
                .setParameter(1, host)
                .setParameter(2, fingerprint)
                .setParameter(3, revokedBy)
                .executeUpdate();
    }

    /** Holds an event for its key; a redelivery of one held already changes nothing. */
    public void hold(String eventId, String host, String keyId, long hostSeq, String envelope) {
        em.createNativeQuery("INSERT INTO audit_held_event (event_id, host, key_id, host_seq, envelope) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId)
                .setParameter(2, host)
                .setParameter(3, keyId)
                .setParameter(4, hostSeq)
                .setParameter(5, envelope)
                .executeUpdate();
    }

    /** Takes the events held for the host's key, in hostSeq order (they are deleted with this transaction). */
    @SuppressWarnings("unchecked")
    public List<Held> release(String host, String keyId) {
        List<Object[]> rows = em.createNativeQuery("DELETE FROM audit_held_event WHERE host = ?1 AND key_id = ?2 "
                        + "RETURNING event_id, host, key_id, host_seq, envelope")
                .setParameter(1, host)
                .setParameter(2, keyId)
                .getResultList();
        return rows.stream()
                .map(r -> new Held(
                        (String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(), (String) r[4]))
                .sorted(java.util.Comparator.comparingLong(Held::hostSeq))
                .toList();
    }

    /** How many events of the host wait for a key. */
    public long heldCount(String host) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM audit_held_event WHERE host = ?1")
                        .setParameter(1, host)
                        .getSingleResult())
                .longValue();
    }

    /** Hosts with held events and how many each, by name. */
    @SuppressWarnings("unchecked")
    public List<Object[]> heldByHost() {
        return em.createNativeQuery("SELECT host, count(*) FROM audit_held_event GROUP BY host ORDER BY host")
                .getResultList();
    }

    /** Counts a refused event once (by its id); whether it was new. */
    public boolean reject(String eventId, String eventType, String hostClaimed, String keyId, String reason) {
        return em.createNativeQuery("INSERT INTO audit_rejection (event_id, event_type, host_claimed, key_id, reason) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id) DO NOTHING")
                        .setParameter(1, eventId)
                        .setParameter(2, eventType)
                        .setParameter(3, hostClaimed)
                        .setParameter(4, keyId)
                        .setParameter(5, reason)
                        .executeUpdate()
                == 1;
    }

    public long rejectionCount() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM audit_rejection")
                        .getSingleResult())
                .longValue();
    }

    @SuppressWarnings("unchecked")
    public List<Rejection> latestRejections(int limit) {
        List<Object[]> rows = em.createNativeQuery("SELECT event_id, event_type, host_claimed, key_id, reason, "
                        + "rejected_at FROM audit_rejection ORDER BY rejected_at DESC, event_id LIMIT ?1")
                .setParameter(1, limit)
                .getResultList();
        return rows.stream()
                .map(r -> new Rejection(
                        (String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], instant(r[5])))
                .toList();
    }
}
