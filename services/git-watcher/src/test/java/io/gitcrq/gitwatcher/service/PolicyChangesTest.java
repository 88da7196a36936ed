package io.gitcrq.gitwatcher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.gitwatcher.repository.PolicySeenRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoPolicyChanged.PolicyRules;
import io.gitcrq.model.policy.RepoPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a poll announces of the policy, and that a poll finding the rules unchanged needs no query once confirmed. */
class PolicyChangesTest {

    private final Map<String, PolicyRules> table = new HashMap<>();
    private final List<RepoPolicyChanged> published = new ArrayList<>();
    private int reads;

    private final PolicyChanges changes = new PolicyChanges(
            new PolicySeenRepository(null) {
                @Override
                public Optional<PolicyRules> last(String repo) {
                    reads++;
                    return Optional.ofNullable(table.get(repo));
                }

                @Override
                public void store(String repo, PolicyRules rules) {
                    table.put(repo, rules);
                }
            },
            new Outbox("git-watcher", null, null) {
                @Override
                public CloudEvent publish(DomainEvent data) {
                    published.add((RepoPolicyChanged) data);
                    return null;
                }
            });

    @Test
    void eachChangeIsAnnouncedOnceAndUnchangedRulesAreReadOnce() {
        EffectivePolicy service = new EffectivePolicy(RepoPolicy.defaults(), EffectivePolicy.Source.SERVICE, null);
        EffectivePolicy ownConfig = new EffectivePolicy(RepoPolicy.defaults(), EffectivePolicy.Source.REPOSITORY, null);

        changes.observe("demo", service); // first: announced, before = null
        changes.observe("demo", service); // read: unchanged, confirmed
        changes.observe("demo", service); // confirmed: no read
        changes.observe("demo", service);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).before()).isNull();
        assertThat(reads).isEqualTo(2);

        changes.observe("demo", ownConfig); // changed: announced with what applied before
        changes.observe("demo", service); // and back: announced again
        assertThat(published).hasSize(3);
        assertThat(published.get(2).before()).isEqualTo(PolicyChanges.rulesOf(ownConfig));
        assertThat(published.get(2).after()).isEqualTo(PolicyChanges.rulesOf(service));
    }
}
