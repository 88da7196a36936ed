package io.gitcrq.crq.repository;

import io.gitcrq.crq.domain.BranchHead;
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

    /** The branch {@code branch} of {@code repo}, whose name names {@code crq}, is at {@code head} now. */
    public void setHead(long crq, String repo, String branch, String head) {
        em.createNativeQuery("INSERT INTO crq_branch_head (crq_id, repo, branch, head, updated_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5) "
                        + "ON CONFLICT (crq_id, repo, branch) DO UPDATE SET head = ?4, updated_at = ?5")
                .setParameter(1, crq)
                .setParameter(2, repo)
                .setParameter(3, branch)
                .setParameter(4, head)
                .setParameter(5, Timestamp.from(Instant.now()))
                .executeUpdate();
    }

    /** The CRQs whose named branch {@code branch} of {@code repo} is, in order. */
    @SuppressWarnings("unchecked")
    public List<Long> crqsOfBranch(String repo, String branch) {
        List<Number> rows = em.createNativeQuery(
                        "SELECT crq_id FROM crq_branch_head WHERE repo = ?1 AND branch = ?2 ORDER BY crq_id")
                .setParameter(1, repo)
                .setParameter(2, branch)
                .getResultList();
        return rows.stream().map(Number::longValue).toList();
    }

    /** The branch is gone: its head is no longer known. */
    public void forgetHeads(String repo, String branch) {
        em.createNativeQuery("DELETE FROM crq_branch_head WHERE repo = ?1 AND branch = ?2")
                .setParameter(1, repo)
                .setParameter(2, branch)
                .executeUpdate();
    }

    /** The heads of the branches whose names name {@code crq}, by repository and branch. */
    @SuppressWarnings("unchecked")
    public List<BranchHead> headsOf(long crq) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT repo, branch, head FROM crq_branch_head WHERE crq_id = ?1 ORDER BY repo, branch")
                .setParameter(1, crq)
                .getResultList();
        return rows.stream()
                .map(r -> new BranchHead((String) r[0], (String) r[1], (String) r[2]))
                .toList();
    }

    /** Every branch linked to {@code crq}, with its head where its name names the CRQ. */
    @SuppressWarnings("unchecked")
    public List<BranchLink> branchesOf(long crq) {
        List<Object[]> rows = em.createNativeQuery("SELECT l.repo, l.branch, h.head FROM crq_branch_link l "
                        + "LEFT JOIN crq_branch_head h ON h.crq_id = l.crq_id AND h.repo = l.repo AND h.branch = l.branch "
                        + "WHERE l.crq_id = ?1 ORDER BY l.repo, l.branch")
                .setParameter(1, crq)
                .getResultList();
        return rows.stream()
                .map(r -> new BranchLink((String) r[0], (String) r[1], (String) r[2]))
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
