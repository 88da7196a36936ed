package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.MergeSettings;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MergeSettingsRepository implements PanacheRepositoryBase<MergeSettings, String> {

    /** The repository's settings, or the defaults when none were set. */
    public MergeSettings of(String repo) {
        return findByIdOptional(repo).orElseGet(() -> MergeSettings.defaults(repo));
    }
}
