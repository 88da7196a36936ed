package io.gitcrq.mcp.repository;

import io.gitcrq.mcp.domain.CrqToken;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class CrqTokenRepository implements PanacheRepositoryBase<CrqToken, UUID> {

    public Optional<CrqToken> byId(UUID id) {
        return findByIdOptional(id);
    }

    public Optional<CrqToken> findByHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }

    /** Deletes the tokens expired before {@code now}; how many. */
    public long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
