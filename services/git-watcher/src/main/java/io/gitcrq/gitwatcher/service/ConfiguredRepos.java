package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.gitwatcher.domain.Actor;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Registers the repositories of {@code gitcrq.git-watcher.repos.*} at every start; registering is idempotent. */
@ApplicationScoped
public class ConfiguredRepos {

    private static final Logger LOG = Logger.getLogger(ConfiguredRepos.class);

    private final GitWatcherConfig config;
    private final RepoRegistry registry;

    public ConfiguredRepos(GitWatcherConfig config, RepoRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) {
        config.repos().forEach((name, repo) -> {
            try {
                // The webhook settings stay in configuration (WebhookSettings reads them there): a secret is not copied
                // into the database.
                registry.register(
                        name,
                        repo.location(),
                        repo.defaultBranch().orElse(null),
                        RepoRegistry.Webhook.NONE,
                        Actor.CONFIGURATION);
            } catch (RuntimeException e) {
                // A repository that cannot be reached now must not keep the service, and the others, from running.
                LOG.errorf("cannot watch configured repository %s at %s: %s", name, repo.location(), e.getMessage());
            }
        });
    }
}
