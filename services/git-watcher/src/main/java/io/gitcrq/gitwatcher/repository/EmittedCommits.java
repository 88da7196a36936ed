package io.gitcrq.gitwatcher.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;

/** The commits of each repository already announced as CommitPushed. */
@ApplicationScoped
public class EmittedCommits {

    private final EntityManager em;

    public EmittedCommits(EntityManager em) {
        this.em = em;
    }

    /** Records the commit as announced; {@code false} if it already was (then it must not be announced again). */
    public boolean markEmitted(String repo, String commitId, String branch) {
        return em.createNativeQuery("INSERT INTO emitted_commit (repo, commit_id, branch, emitted_at) "
                        + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
                .setParameter(1, repo).setParameter(2, commitId).setParameter(3, branch)
                .setParameter(4, Timestamp.from(Instant.now()))
                .executeUpdate() == 1;
    }
}
