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

    /**
     * Retention deleted the host's events up to and including {@code sequence}, whose hash was {@code hash} and whose
     * host number (of key {@code hostKeyId}) was {@code hostSeq}; signed by audit-collector's key {@code signerKeyId}.
     */
    public record Checkpoint(
            String host,
            long sequence,
            String hash,
            Instant cutoff,
            long deleted,
            Instant createdAt,
            Long hostSeq,
            String hostKeyId,
            String signerKeyId,
            String signature) {}

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

    /** Rows of the host's chain up to {@code sequence} were stored before hosts signed their events. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void storedUnsignedUpTo(String host, long sequence) {
        em.createNativeQuery(
                        "UPDATE audit_chain_head SET unsigned_until = greatest(unsigned_until, ?2) WHERE host = ?1")
                .setParameter(1, host)
                .setParameter(2, sequence)
                .executeUpdate();
    }

    /** Up to which sequence the host's chain may hold unsigned rows (stored before hosts signed); 0 if none. */
    public long unsignedUntil(String host) {
        List<?> rows = em.createNativeQuery("SELECT unsigned_until FROM audit_chain_head WHERE host = ?1")
                .setParameter(1, host)
                .getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    /**
     * Serializes, until the transaction ends, everything that decides about a host's events (chaining, holding,
     * registering a key and releasing what was held), without making the host a chain.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockHost(String host) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('gitcrq-audit-host:' || ?1))")
                .setParameter(1, host)
                .getSingleResult();
    }

    /** The checkpoint verification of the host's chain starts from: the latest one. */
    @SuppressWarnings("unchecked")
    public Optional<Checkpoint> latestCheckpoint(String host) {
        List<Object[]> rows = em.createNativeQuery("SELECT " + CHECKPOINT_COLUMNS
                        + " FROM audit_checkpoint WHERE host = ?1 ORDER BY sequence DESC LIMIT 1")
                .setParameter(1, host)
                .getResultList();
        return rows.stream().findFirst().map(AuditChainRepository::checkpoint);
    }

    private static final String CHECKPOINT_COLUMNS =
            "host, sequence, hash, cutoff, deleted, created_at, host_seq, host_key_id, signer_key_id, signature";

    private static Checkpoint checkpoint(Object[] row) {
        return new Checkpoint(
                (String) row[0],
                ((Number) row[1]).longValue(),
                (String) row[2],
                instant(row[3]),
                ((Number) row[4]).longValue(),
                instant(row[5]),
                row[6] == null ? null : ((Number) row[6]).longValue(),
                (String) row[7],
                (String) row[8],
                (String) row[9]);
    }

    /** Checkpoints made before they were signed, still to be signed once. */
    @SuppressWarnings("unchecked")
    public List<Checkpoint> legacyCheckpoints() {
        List<Object[]> rows = em.createNativeQuery("SELECT " + CHECKPOINT_COLUMNS
                        + " FROM audit_checkpoint WHERE legacy AND signature IS NULL ORDER BY host, sequence")
                .getResultList();
        return rows.stream().map(AuditChainRepository::checkpoint).toList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void signLegacyCheckpoint(String host, long sequence, String signerKeyId, String signature) {
        em.createNativeQuery("UPDATE audit_checkpoint SET signer_key_id = ?3, signature = ?4, legacy = false "
                        + "WHERE host = ?1 AND sequence = ?2 AND legacy")
                .setParameter(1, host)
                .setParameter(2, sequence)
                .setParameter(3, signerKeyId)
                .setParameter(4, signature)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void addCheckpoint(Checkpoint c) {
        em.createNativeQuery("INSERT INTO audit_checkpoint (host, sequence, hash, cutoff, deleted, host_seq, "
                        + "host_key_id, signer_key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, c.host())
                .setParameter(2, c.sequence())
                .setParameter(3, c.hash())
                .setParameter(4, c.cutoff().atOffset(ZoneOffset.UTC))
                .setParameter(5, c.deleted())
                .setParameter(6, c.hostSeq())
                .setParameter(7, c.hostKeyId())
                .setParameter(8, c.signerKeyId())
                .setParameter(9, c.signature())
                .executeUpdate();
    }

    /** Every host the audit store knows of: with a chain, a checkpoint, any stored event or a signed head; by name. */
    @SuppressWarnings("unchecked")
    public List<String> hosts() {
        return em.createNativeQuery("SELECT host FROM audit_chain_head UNION SELECT host FROM audit_checkpoint "
                        + "UNION SELECT DISTINCT host FROM audit_event UNION SELECT host FROM audit_signed_head "
                        + "ORDER BY 1")
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
                                        + "UNION ALL (SELECT host FROM audit_signed_head WHERE host = ?1 LIMIT 1) "
                                        + "UNION ALL (SELECT host FROM audit_event WHERE host = ?1 LIMIT 1)) known")
                                .setParameter(1, host)
                                .getSingleResult())
                        .longValue()
                > 0;
    }
}
