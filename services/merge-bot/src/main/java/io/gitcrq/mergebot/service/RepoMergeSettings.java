package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.mergebot.domain.MergeSettings;
import io.gitcrq.mergebot.domain.MergeStrategy;
import io.gitcrq.mergebot.repository.MergeSettingsRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Each repository's merge settings; a change runs its queues (a CRQ may wait for a check no longer required). */
@ApplicationScoped
public class RepoMergeSettings {

    private final MergeSettingsRepository settings;
    private final MergeQueue queue;

    public RepoMergeSettings(MergeSettingsRepository settings, MergeQueue queue) {
        this.settings = settings;
        this.queue = queue;
    }

    public MergeSettings of(String repo) {
        return settings.of(repo);
    }

    @Transactional
    public MergeSettings update(
            String repo,
            MergeStrategy strategy,
            List<String> requiredChecks,
            boolean deleteMergedBranch,
            String actor) {
        MergeSettings updated = settings.findByIdOptional(repo).orElseGet(() -> MergeSettings.defaults(repo));
        updated.strategy = strategy.setting();
        updated.requiredChecks = requiredChecks.toArray(String[]::new);
        updated.deleteMergedBranch = deleteMergedBranch;
        updated.updatedBy = actor;
        updated.updatedAt = SqlTimes.now();
        settings.persist(updated);
        queue.run(repo);
        return updated;
    }
}
