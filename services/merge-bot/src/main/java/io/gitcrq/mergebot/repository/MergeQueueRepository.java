package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.MergeQueueEntry;
import io.gitcrq.mergebot.domain.QueueState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class MergeQueueRepository implements PanacheRepositoryBase<MergeQueueEntry, Long> {

    /** A target's queue in approval order (ties broken by CRQ number, so the order is total). */
    public List<MergeQueueEntry> queueOf(String repo, String target) {
        return list("repo = ?1 and targetBranch = ?2", Sort.ascending("approvedAt", "crqNumber"), repo, target);
    }

    /** How many CRQs every queue holds, per state (every state, 0 for none). */
    public Map<QueueState, Long> countByState() {
        Map<QueueState, Long> counts = new EnumMap<>(QueueState.class);
        for (QueueState state : QueueState.values()) {
            counts.put(state, 0L);
        }
        getEntityManager()
                .createQuery("SELECT e.state, count(e) FROM MergeQueueEntry e GROUP BY e.state", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((QueueState) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    /** The targets of a repository that have CRQs queued, sorted (the order their locks are taken in). */
    public List<String> targetsOf(String repo) {
        return getEntityManager()
                .createQuery(
                        "SELECT DISTINCT e.targetBranch FROM MergeQueueEntry e "
                                + "WHERE e.repo = ?1 ORDER BY e.targetBranch",
                        String.class)
                .setParameter(1, repo)
                .getResultList();
    }

    /**
     * Serializes the queue of one repo:target across threads and service instances until the caller's
     * transaction ends: one merge at a time per target, each against the head the previous one left.
     */
    public void lock(String repo, String target) {
        getEntityManager()
                .createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked")
                .setParameter(1, "merge-queue:" + repo + "\n" + target)
                .getSingleResult();
    }
}
