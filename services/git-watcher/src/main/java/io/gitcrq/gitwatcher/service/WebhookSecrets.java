package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.repository.WatchedRepoRepository;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.secret.SecretBox;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Webhook secrets at rest: sealed with the service's key, bound to their repository. At start the key must be usable
 * (git-watcher refuses to start without one rather than fail on the first webhook) and secrets an earlier version
 * stored in plain text are sealed.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    private final SecretBox box;
    private final WatchedRepoRepository repos;

    public WebhookSecrets(SecretBox box, WatchedRepoRepository repos) {
        this.box = box;
        this.repos = repos;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) {
        box.requireKey();
        int sealed = sealPlainText();
        if (sealed > 0) {
            LOG.infof("sealed %d webhook secret(s) stored in plain text by an earlier version", sealed);
        }
    }

    /** Seals the secrets stored in plain text (by a version before sealing); returns how many it sealed. */
    @Transactional
    public int sealPlainText() {
        int sealed = 0;
        for (WatchedRepo repo : repos.withWebhookSecret()) {
            if (!box.isSealed(repo.webhookSecret)) {
                repo.webhookSecret = box.seal(repo.webhookSecret, repo.name);
                sealed++;
            }
        }
        return sealed;
    }

    public String seal(String secret, String repo) {
        return box.seal(secret, repo);
    }

    /** The repository's registered secret; none when it cannot be opened (another key), which is logged. */
    public Optional<String> open(WatchedRepo repo) {
        if (repo.webhookSecret == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(box.open(repo.webhookSecret, repo.name));
        } catch (IllegalArgumentException e) {
            LOG.errorf(
                    "the webhook secret of %s does not open with this key (%s): register it again",
                    repo.name, e.getMessage());
            return Optional.empty();
        }
    }
}
