package io.gitcrq.gitwatcher.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;

/**
 * One poll (or registration) of a repository at a time across every instance of git-watcher: a PostgreSQL
 * advisory lock keyed by the repository's name, held until the transaction ends.
 */
@ApplicationScoped
public class RepoLocks {

    private static final long RETRY_PAUSE_MILLIS = 100;

    private final EntityManager em;

    public RepoLocks(EntityManager em) {
        this.em = em;
    }

    /** Takes the repository's lock for the current transaction if no other transaction holds it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLock(String repo) {
        return (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "git-watcher/repo/" + repo)
                .getSingleResult();
    }

    /** Tries the lock until {@code wait} has passed; {@code false} if another transaction kept it all along. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryLockWithin(String repo, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!tryLock(repo)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(RETRY_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
