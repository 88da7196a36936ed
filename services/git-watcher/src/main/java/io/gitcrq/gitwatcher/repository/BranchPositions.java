package io.gitcrq.gitwatcher.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where each branch of a repository pointed at the last poll (branch → commit id). */
@ApplicationScoped
public class BranchPositions {

    private final EntityManager em;

    public BranchPositions(EntityManager em) {
        this.em = em;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> of(String repo) {
        List<Object[]> rows = em.createNativeQuery("SELECT branch, head FROM branch_position WHERE repo = ?1")
                .setParameter(1, repo)
                .getResultList();
        Map<String, String> heads = new TreeMap<>();
        rows.forEach(r -> heads.put((String) r[0], (String) r[1]));
        return heads;
    }

    public void store(String repo, String branch, String head) {
        em.createNativeQuery("INSERT INTO branch_position (repo, branch, head) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (repo, branch) DO UPDATE SET head = EXCLUDED.head")
                .setParameter(1, repo)
                .setParameter(2, branch)
                .setParameter(3, head)
                .executeUpdate();
    }

    public void remove(String repo, String branch) {
        em.createNativeQuery("DELETE FROM branch_position WHERE repo = ?1 AND branch = ?2")
                .setParameter(1, repo)
                .setParameter(2, branch)
                .executeUpdate();
    }

    /** Forgets every branch of a repository no longer watched. */
    public void removeAll(String repo) {
        em.createNativeQuery("DELETE FROM branch_position WHERE repo = ?1")
                .setParameter(1, repo)
                .executeUpdate();
    }
}
