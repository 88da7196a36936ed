package io.gitcrq.kit.idempotency;

import io.gitcrq.kit.db.AfterMigration;
import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which resource each user's idempotency key made (table {@code idempotency_key}, in every service's database): a
 * service claims the key in the transaction that does the work, binds it to what the work made, and a repeat of the
 * request finds that. Keys are forgotten a day after their request: long past any client's retries (Stripe keeps
 * them 24 hours too).
 */
@ApplicationScoped
public class IdempotencyKeys implements AfterMigration {

    public static final Duration KEPT = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final EntityManager em;
    private final DatabaseConfig db;

    public IdempotencyKeys(EntityManager em, DatabaseConfig db) {
        this.em = em;
        this.db = db;
    }

    /** The table, made where it is missing: a kit's table in every service's schema, whatever its migrations. */
    @Override
    public void afterMigration() {
        try (Connection c = db.connect(db.name());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS idempotency_key (requested_by text NOT NULL,"
                    + " idempotency_key text NOT NULL, request_sha256 text NOT NULL, resource_id text,"
                    + " created_at timestamptz NOT NULL, PRIMARY KEY (requested_by, idempotency_key))");
            s.execute("CREATE INDEX IF NOT EXISTS idempotency_key_created_at ON idempotency_key (created_at)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the idempotency_key table of " + db.name(), e);
        }
    }

    /**
     * Claims {@code key} of {@code user} in the caller's transaction: empty when this request is the first with it
     * (do the work, then {@link #bind} what it made, or {@link #release} the key when the request is refused); the
     * resource an earlier request with it made, when this is a repeat. A concurrent first try holds the key until its
     * transaction ends, and this waits for it (the primary key's lock), so two tries never both do the work.
     *
     * @throws InvalidRequestException the key came with another request
     * @throws ConflictException       an earlier try with the key committed without a result (never, unless bound late)
     */
    public Optional<String> claim(String user, IdempotencyKey key, Instant at) {
        int inserted = em.createNativeQuery("""
                        INSERT INTO idempotency_key (requested_by, idempotency_key, request_sha256, created_at)
                        VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .setParameter(3, key.requestSha256())
                .setParameter(4, at)
                .executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        Optional<String> earlier = earlier(user, key);
        if (earlier.isEmpty()) { // forgotten between the two statements: a day old, so a new request
            return claim(user, key, at);
        }
        return earlier;
    }

    /**
     * The resource an earlier request with {@code key} made, without claiming the key: empty when no request came with
     * it. Lets a service answer a repeat before it does any of the work's preparation again; {@link #claim} in the
     * work's transaction is still what makes the work happen once.
     *
     * @throws InvalidRequestException the key came with another request
     * @throws ConflictException       the earlier request with the key is not done yet
     */
    public Optional<String> earlier(String user, IdempotencyKey key) {
        List<?> rows = em.createNativeQuery("SELECT request_sha256, resource_id FROM idempotency_key"
                        + " WHERE requested_by = ?1 AND idempotency_key = ?2")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        if (!key.requestSha256().equals(row[0])) {
            throw new InvalidRequestException(
                    "this " + IdempotencyKey.HEADER + " was sent with another request: a new request needs a new key");
        }
        if (row[1] == null) {
            throw new ConflictException("an earlier request with this " + IdempotencyKey.HEADER + " is not done yet");
        }
        return Optional.of((String) row[1]);
    }

    /** What the request that claimed {@code key} made: what its repeats are answered with. */
    public void bind(String user, IdempotencyKey key, String resourceId) {
        em.createNativeQuery("UPDATE idempotency_key SET resource_id = ?3"
                        + " WHERE requested_by = ?1 AND idempotency_key = ?2")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .setParameter(3, resourceId)
                .executeUpdate();
    }

    /** Gives a key back: the request it was claimed for was refused, so a repeat is judged afresh. */
    public void release(String user, IdempotencyKey key) {
        em.createNativeQuery("DELETE FROM idempotency_key WHERE requested_by = ?1 AND idempotency_key = ?2")
                .setParameter(1, user)
                .setParameter(2, key.key())
                .executeUpdate();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetOldKeys() {
        int forgotten = em.createNativeQuery("DELETE FROM idempotency_key WHERE created_at < ?1")
                .setParameter(1, Instant.now().minus(KEPT))
                .executeUpdate();
        if (forgotten > 0) {
            LOG.infof("forgot %d idempotency keys older than %s", forgotten, KEPT);
        }
    }
}
