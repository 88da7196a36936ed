package io.gitcrq.crq.repository;

import io.gitcrq.crq.domain.BranchLink;
import io.gitcrq.crq.domain.CommitLink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Links between CRQs and Git: branches and commits. Inserting a link twice is a no-op, so replayed Git
 * events never duplicate a link.
 */
@ApplicationScoped
public class CrqLinkRepository {

    private final EntityManager em;

    public CrqLinkRepository(EntityManager em) {
        this.em = em;
    }

    public void linkBranch(long crq, String repo, String branch) {
        em.createNativeQuery(
                        "INSERT INTO crq_branch_link (crq_id, repo, branch) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, crq)
                .setParameter(2, repo)
                .setParameter(3, branch)
                .executeUpdate();
    }

    public void linkCommit(long crq, String repo, String branch, String commitId, String message) {
        em.createNativeQuery("INSERT INTO crq_commit_link (crq_id, repo, commit_id, branch, message, linked_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
                .setParameter(1, crq)
                .setParameter(2, repo)
                .setParameter(3, commitId)
                .setParameter(4, branch)
                .setParameter(5, message)
                .setParameter(6, Timestamp.from(Instant.now()))
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public List<BranchLink> branchesOf(long crq) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT repo, branch FROM crq_branch_link WHERE crq_id = ?1 ORDER BY repo, branch")
                .setParameter(1, crq)
                .getResultList();
        return rows.stream()
                .map(r -> new BranchLink((String) r[0], (String) r[1]))
                .toList();
    }

    @SuppressWarnings("unchecked")
    public List<CommitLink> commitsOf(long crq) {
        List<Object[]> rows = em.createNativeQuery("SELECT repo, branch, commit_id, message, linked_at "
                        + "FROM crq_commit_link WHERE crq_id = ?1 ORDER BY linked_at, commit_id")
                .setParameter(1, crq)
                .getResultList();
        return rows.stream()
                .map(r -> new CommitLink((String) r[0], (String) r[1], (String) r[2], (String) r[3], toInstant(r[4])))
                .toList();
    }

    /** The CRQs a commit is linked to: the lookup from Git back to change requests. */
    @SuppressWarnings("unchecked")
    public List<Long> crqsOfCommit(String commitId) {
        List<Number> rows = em.createNativeQuery(
                        "SELECT DISTINCT crq_id FROM crq_commit_link WHERE commit_id = ?1 ORDER BY crq_id")
                .setParameter(1, commitId)
                .getResultList();
        return rows.stream().map(Number::longValue).toList();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return null;
    }
}
