package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.MergeSettings;
import io.gitcrq.mergebot.domain.MergeStrategy;
import io.gitcrq.mergebot.repository.MergeSettingsRepository;
import io.gitcrq.model.event.MergeSettingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Each repository's merge settings; a change runs its queues (a CRQ may wait for a check no longer required). */
@ApplicationScoped
public class RepoMergeSettings {

    private final MergeSettingsRepository settings;
    private final MergeQueue queue;
    private final Outbox outbox;

    public RepoMergeSettings(MergeSettingsRepository settings, MergeQueue queue, Outbox outbox) {
        this.settings = settings;
        this.queue = queue;
        this.outbox = outbox;
    }

    public MergeSettings of(String repo) {
        return settings.of(repo);
    }

    /**
     * Replaces the settings; a null strategy is {@link MergeStrategy#MERGE} and null required checks are none.
     * An unknown strategy, or a required check that is null or listed twice, is refused. A change is announced
     * ({@link MergeSettingsChanged}, in the same transaction) for the audit trail: who changed which rule from what.
     */
    @Transactional
    public MergeSettings update(
            String repo, String strategy, List<String> requiredChecks, boolean deleteMergedBranch, String actor) {
        MergeStrategy mergeStrategy = strategyOrDefault(strategy);
        List<String> checks = requiredChecksOrNone(requiredChecks);
        MergeSettings updated = settings.findByIdOptional(repo).orElseGet(() -> MergeSettings.defaults(repo));
        MergeSettingsChanged.MergeRules before = rulesOf(updated);
        updated.strategy = mergeStrategy.setting();
        updated.requiredChecks = checks.toArray(String[]::new);
        updated.deleteMergedBranch = deleteMergedBranch;
        updated.updatedBy = actor;
        updated.updatedAt = SqlTimes.now();
        settings.persist(updated);
        MergeSettingsChanged.MergeRules after = rulesOf(updated);
        if (!after.equals(before)) {
            outbox.publish(new MergeSettingsChanged(repo, actor, before, after, updated.updatedAt));
        }
        queue.run(repo);
        return updated;
    }

    private static MergeSettingsChanged.MergeRules rulesOf(MergeSettings settings) {
        return new MergeSettingsChanged.MergeRules(
                settings.strategy, settings.requiredCheckNames(), settings.deleteMergedBranch);
    }

    private static MergeStrategy strategyOrDefault(String strategy) {
        if (strategy == null) {
            return MergeStrategy.MERGE;
        }
        return MergeStrategy.fromSetting(strategy)
                .orElseThrow(() -> new InvalidRequestException(
                        "strategy must be one of " + MergeStrategy.settings() + ", not '" + strategy + "'"));
    }

    private static List<String> requiredChecksOrNone(List<String> requiredChecks) {
        if (requiredChecks == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String name : requiredChecks) {
            if (name == null) {
                throw new InvalidRequestException("requiredChecks must not contain null");
            }
            if (!seen.add(name)) {
                throw new InvalidRequestException("requiredChecks lists '" + name + "' twice");
            }
        }
        return List.copyOf(requiredChecks);
    }
}
