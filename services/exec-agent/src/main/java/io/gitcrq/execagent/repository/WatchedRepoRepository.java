package io.gitcrq.execagent.repository;

import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The watched repositories as git-watcher announces them (never from its tables): name → location. */
@ApplicationScoped
public class WatchedRepoRepository {

    private final EntityManager em;

    public WatchedRepoRepository(EntityManager em) {
        this.em = em;
    }

    /** A repository watched (again: its location and default branch as now announced). */
    public void watched(RepoWatched watched, Instant at) {
        em.createNativeQuery("""
                        INSERT INTO watched_repo (repo, location, default_branch, updated_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (repo) DO UPDATE
                        SET location = EXCLUDED.location, default_branch = EXCLUDED.default_branch,
                            updated_at = EXCLUDED.updated_at""")
                .setParameter(1, watched.repo())
                .setParameter(2, watched.location())
                .setParameter(3, watched.defaultBranch())
                .setParameter(4, at)
                .executeUpdate();
    }

    public void unwatched(RepoUnwatched unwatched) {
        em.createNativeQuery("DELETE FROM watched_repo WHERE repo = ?1")
                .setParameter(1, unwatched.repo())
                .executeUpdate();
    }

    /** Where the repository is, as git-watcher watches it (a path, or a remote's URL); empty when not watched. */
    public Optional<String> location(String repo) {
        List<?> rows = em.createNativeQuery("SELECT location FROM watched_repo WHERE repo = ?1")
                .setParameter(1, repo)
                .getResultList();
        return rows.stream().map(String.class::cast).findFirst();
    }
}
