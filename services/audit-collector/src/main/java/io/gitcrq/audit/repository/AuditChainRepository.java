package io.gitcrq.audit.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import io.gitcrq.model.chain.ChainHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The heads of the hosts' audit chains and the checkpoints retention left. */
@ApplicationScoped
public class AuditChainRepository {

    /** Where a host's chain ends: its last sequence and that event's hash (0 and genesis for an empty chain). */
    public record Head(String host, long lastSequence, String lastHash) {}

    /** Retention deleted the host's events up to and including {@code sequence}, whose hash was {@code hash}. */
    public record Checkpoint(
            String host, long sequence, String hash, Instant cutoff, long deleted, Instant createdAt) {}

    private final EntityManager em;

    public AuditChainRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Locks the host's head row until the transaction ends, creating it (at sequence 0, genesis) for a host
     * never seen: whoever holds it is the only one appending to, or cutting, that host's chain.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Head lockHead(String host) {
        return lockExistingHead(host).orElseGet(() -> {
            // Two first events of a new host may race here: the loser waits for the winner's row, then locks it.
            em.createNativeQuery("INSERT INTO audit_chain_head (host, last_sequence, last_hash) VALUES (?1, 0, ?2) "
                            + "ON CONFLICT (host) DO NOTHING")
                    .setParameter(1, host)
                    .setParameter(2, ChainHash.GENESIS)
                    .executeUpdate();
            return lockExistingHead(host).orElseThrow();
        });
    }

    /** Locks the host's head row if the host has a chain. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Head> lockExistingHead(String host) {
        return head(host, " FOR UPDATE");
    }

    public Optional<Head> head(String host) {
        return head(host, "");
    }

    @SuppressWarnings("unchecked")
    private Optional<Head> head(String host, String lock) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT last_sequence, last_hash FROM audit_chain_head WHERE host = ?1" + lock)
                .setParameter(1, host)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Head(host, ((Number) row[0]).longValue(), (String) row[1]));
    }

    /** Moves the (locked) head to the event just appended. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void advance(String host, long sequence, String hash) {
        em.createNativeQuery("UPDATE audit_chain_head SET last_sequence = ?2, last_hash = ?3, updated_at = now() "
                        + "WHERE host = ?1")
                .setParameter(1, host)
                .setParameter(2, sequence)
                .setParameter(3, hash)
                .executeUpdate();
    }

    /** The checkpoint verification of the host's chain starts from: the latest one. */
    @SuppressWarnings("unchecked")
    public Optional<Checkpoint> latestCheckpoint(String host) {
        List<Object[]> rows = em.createNativeQuery("SELECT sequence, hash, cutoff, deleted, created_at "
                        + "FROM audit_checkpoint WHERE host = ?1 ORDER BY sequence DESC LIMIT 1")
                .setParameter(1, host)
                .getResultList();
        return rows.stream()
                .findFirst()
                .map(row -> new Checkpoint(
                        host,
                        ((Number) row[0]).longValue(),
                        (String) row[1],
                        instant(row[2]),
                        ((Number) row[3]).longValue(),
                        instant(row[4])));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void addCheckpoint(String host, long sequence, String hash, Instant cutoff, long deleted) {
        em.createNativeQuery("INSERT INTO audit_checkpoint (host, sequence, hash, cutoff, deleted) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, host)
                .setParameter(2, sequence)
                .setParameter(3, hash)
                .setParameter(4, cutoff.atOffset(ZoneOffset.UTC))
                .setParameter(5, deleted)
                .executeUpdate();
    }

    /** Every host the audit store knows of: with a chain, a checkpoint or any stored event; by name. */
    @SuppressWarnings("unchecked")
    public List<String> hosts() {
        return em.createNativeQuery("SELECT host FROM audit_chain_head UNION SELECT host FROM audit_checkpoint "
                        + "UNION SELECT DISTINCT host FROM audit_event ORDER BY 1")
                .getResultList();
    }

    /** Hosts with a chain, by name: those retention looks at. */
    @SuppressWarnings("unchecked")
    public List<String> chainedHosts() {
        return em.createNativeQuery("SELECT host FROM audit_chain_head ORDER BY host")
                .getResultList();
    }

    public boolean knows(String host) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM (SELECT host FROM audit_chain_head WHERE host = ?1 "
                                        + "UNION ALL SELECT host FROM audit_checkpoint WHERE host = ?1 "
                                        + "UNION ALL (SELECT host FROM audit_event WHERE host = ?1 LIMIT 1)) known")
                                .setParameter(1, host)
                                .getSingleResult())
                        .longValue()
                > 0;
    }
}
