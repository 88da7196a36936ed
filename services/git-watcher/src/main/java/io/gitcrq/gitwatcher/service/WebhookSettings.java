package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A repository's webhook name and secret: from configuration ({@code repos."<name>".webhook-*}) when set
 * there, else as registered through the REST API.
 */
@ApplicationScoped
public class WebhookSettings {

    private final GitWatcherConfig config;
    private final WebhookSecrets secrets;

    public WebhookSettings(GitWatcherConfig config, WebhookSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    public Optional<String> name(WatchedRepo repo) {
        return configured(repo)
                .flatMap(GitWatcherConfig.ConfiguredRepo::webhookName)
                .or(() -> Optional.ofNullable(repo.webhookName))
                .filter(n -> !n.isBlank());
    }

    public Optional<String> secret(WatchedRepo repo) {
        return configured(repo)
                .flatMap(GitWatcherConfig.ConfiguredRepo::webhookSecret)
                .or(() -> secrets.open(repo))
                .filter(s -> !s.isEmpty());
    }

    /**
     * Whether a webhook naming {@code hostName} (e.g. {@code acme/demo}) may be about this repository: its
     * webhook name, or else its gitcrq name, ignoring case as Git hosts do. The signature decides whether it is.
     */
    public boolean matches(WatchedRepo repo, String hostName) {
        return hostName != null && name(repo).orElse(repo.name).equalsIgnoreCase(hostName);
    }

    /** A repository with a secret can be told of pushes by webhook. */
    public boolean enabled(WatchedRepo repo) {
        return secret(repo).isPresent();
    }

    private Optional<GitWatcherConfig.ConfiguredRepo> configured(WatchedRepo repo) {
        return Optional.ofNullable(config.repos().get(repo.name));
    }
}
