package io.gitcrq.audit.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/**
 * One AuditCaptured as it was received. Rows are written once, by the event id, and never changed: an
 * audit trail that could be edited would prove nothing, and the host's hash chain (sequence, prevHash, hash)
 * makes any edit show (GET /audit/verify). Only a row stored before chaining existed gets its chain columns
 * filled in later, once (ChainBackfill); retention deletes from the start of a chain.
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {
    /** The CloudEvents id of the AuditCaptured: what makes a redelivery the same row. */
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(nullable = false)
    public String host;

    /**
     * Always in the printed form of {@code CrqId} ({@code CRQ-12}), so a filter matches however the source spelled it;
     * null for a governance record about a repository rather than a CRQ.
     */
    @Column(name = "crq_id")
    public String crqId;

    /** The repository the payload names (its {@code repo}), derived by the database; null where it names none. */
    @Column(insertable = false, updatable = false)
    public String repo;

    @Column(nullable = false)
    public String kind;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The source's detail, kept as JSONB in the database and read back as its JSON text. */
    @Column(nullable = false)
    @ColumnTransformer(read = "payload::text", write = "?::jsonb")
    public String payload;

    /** The CloudEvents source: which collector on which host sent it. */
    @Column(nullable = false)
    public String source;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** Position in its host's hash chain (1, 2, ...); null only for a row stored before chaining, until it is chained. */
    @Column(name = "sequence")
    public Long sequence;

    /** The hash of the host's previous event (or of the retention checkpoint, or the genesis value). */
    @Column(name = "prev_hash")
    public String prevHash;

    /** SHA-256 of prevHash and the event's canonical form (see {@code ChainHash}). */
    @Column(name = "hash")
    public String hash;

    /** The host's own number of the event (1, 2, ...); null for audit-collector's own records and older rows. */
    @Column(name = "host_seq")
    public Long hostSeq;

    /** The fingerprint of the host key that signed it. */
    @Column(name = "key_id")
    public String keyId;

    /** The host's Ed25519 signature of the statement of the event's batch (base64; see {@code AuditSignature}). */
    @Column(name = "signature")
    public String signature;

    /** The host number of the first event of the batch the host signed it in. */
    @Column(name = "batch_first_seq")
    public Long batchFirstSeq;

    /** How many events that batch holds. */
    @Column(name = "batch_size")
    public Integer batchSize;

    /** The event's audit path in its batch's Merkle tree: a JSON array of base64 hashes, leaf level first. */
    @Column(name = "batch_proof")
    public String batchProof;
}
