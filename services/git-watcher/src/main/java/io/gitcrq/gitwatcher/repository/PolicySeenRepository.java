package io.gitcrq.gitwatcher.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.RepoPolicyChanged.PolicyRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The effective policy of each repository as git-watcher last applied it ({@code repo_policy_seen}). */
@ApplicationScoped
public class PolicySeenRepository {

    private final EntityManager em;

    public PolicySeenRepository(EntityManager em) {
        this.em = em;
    }

    @SuppressWarnings("unchecked")
    public Optional<PolicyRules> last(String repo) {
        List<String> rows = em.createNativeQuery("SELECT rules::text FROM repo_policy_seen WHERE repo = ?1")
                .setParameter(1, repo)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.mapper().readValue(rows.get(0), PolicyRules.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("repo_policy_seen of " + repo + " is not a policy", e);
        }
    }

    public void store(String repo, PolicyRules rules) {
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        em.createNativeQuery("INSERT INTO repo_policy_seen (repo, rules) VALUES (?1, CAST(?2 AS jsonb)) "
                        + "ON CONFLICT (repo) DO UPDATE SET rules = EXCLUDED.rules, seen_at = now()")
                .setParameter(1, repo)
                .setParameter(2, json)
                .executeUpdate();
    }
}
