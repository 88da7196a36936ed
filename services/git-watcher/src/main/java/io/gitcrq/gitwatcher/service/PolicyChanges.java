package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.repository.PolicySeenRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoPolicyChanged.PolicyRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Announces a change of the policy that governs a repository ({@link RepoPolicyChanged}): the policy is read at each
 * poll ({@link RepoPolicyReader}), so an edit of the repository's git config takes effect at the next poll, and this
 * makes that edit part of the audit trail instead of a silent change of the rules.
 */
@ApplicationScoped
public class PolicyChanges {

    private final PolicySeenRepository seen;
    private final Outbox outbox;

    /**
     * Per repository, the rules {@code repo_policy_seen} held when a poll last read them and found them unchanged:
     * rows committed before, so a poll that finds the same rules again needs no query. A change empties the entry (its
     * transaction may yet roll back); the next poll reads the row again. One git-watcher writes the table, and no row
     * is ever deleted.
     */
    private final Map<String, PolicyRules> unchanged = new ConcurrentHashMap<>();

    public PolicyChanges(PolicySeenRepository seen, Outbox outbox) {
        this.seen = seen;
        this.outbox = outbox;
    }

    /** In the poll's transaction: the event is published with the poll's other events, or not at all. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void observe(String repo, EffectivePolicy policy) {
        PolicyRules now = rulesOf(policy);
        if (now.equals(unchanged.get(repo))) {
            return;
        }
        Optional<PolicyRules> before = seen.last(repo);
        if (before.isPresent() && before.get().equals(now)) {
            unchanged.put(repo, now);
            return;
        }
        unchanged.remove(repo);
        outbox.publish(new RepoPolicyChanged(repo, before.orElse(null), now, Instant.now()));
        seen.store(repo, now);
    }

    static PolicyRules rulesOf(EffectivePolicy policy) {
        return new PolicyRules(
                // Sorted: the same rules compare equal and read the same in every record.
                policy.policy().branchNames().types().stream().sorted().toList(),
                policy.policy().branchNames().exemptBranches().stream().sorted().toList(),
                policy.policy().requireLinkedCommits(),
                policy.source().json(),
                policy.error());
    }
}
