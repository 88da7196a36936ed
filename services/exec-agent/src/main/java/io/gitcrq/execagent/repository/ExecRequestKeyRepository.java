package io.gitcrq.execagent.repository;

import io.gitcrq.execagent.domain.RequestKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Which exec each user's idempotency key started (table {@code exec_request_key}). */
@ApplicationScoped
public class ExecRequestKeyRepository {

    /** The exec a key started and the SHA-256 of the request that came with it. */
    public record Claim(String execId, String requestSha256) {}

    private final EntityManager em;

    public ExecRequestKeyRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Claims {@code key} of {@code user} for {@code execId} and gives the claim that holds: this one, or the one an
     * earlier request made. A concurrent claim of the same key waits here until the other transaction ends (the
     * primary key's lock), so two tries of one request never both start.
     */
    public Claim claim(String user, RequestKey key, String execId, Instant at) {
        em.createNativeQuery("""
                        INSERT INTO exec_request_key (requested_by, idempotency_key, request_sha256, exec_id, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .setParameter(3, key.requestSha256())
                .setParameter(4, execId)
                .setParameter(5, at)
                .executeUpdate();
        return find(user, key.key()).orElseThrow();
    }

    /** Gives a key back: the request it was claimed for was refused, so a repeat is judged afresh. */
    public void release(String user, RequestKey key) {
        em.createNativeQuery("DELETE FROM exec_request_key WHERE requested_by = ?1 AND idempotency_key = ?2")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .executeUpdate();
    }

    /** Forgets the keys claimed before {@code before}; gives how many. */
    public int forgetBefore(Instant before) {
        return em.createNativeQuery("DELETE FROM exec_request_key WHERE created_at < ?1")
                .setParameter(1, before)
                .executeUpdate();
    }

    private Optional<Claim> find(String user, String key) {
        List<?> rows = em.createNativeQuery("SELECT exec_id, request_sha256 FROM exec_request_key"
                        + " WHERE requested_by = ?1 AND idempotency_key = ?2")
                .setParameter(1, user)
                .setParameter(2, key)
                .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(r -> new Claim((String) r[0], (String) r[1]))
                .findFirst();
    }
}
