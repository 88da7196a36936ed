package io.gitcrq.mcp.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A token that lets an agent act through the MCP server as the person who made it, on one CRQ only, until it expires:
 * what {@code gitcrq launch} gives a tool it starts for a CRQ. Only the token's hash is kept; the maker's credential
 * is kept sealed.
 */
@Entity
@Table(name = "crq_token")
public class CrqToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public byte[] tokenHash;

    @Column(name = "user_name", nullable = false)
    public String userName;

    /** Comma-separated. */
    @Column(nullable = false)
    public String roles;

    @Column(name = "crq_id", nullable = false)
    public String crqId;

    /** The maker's Authorization header, sealed for this token's id. */
    @Column(nullable = false)
    public String credential;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
