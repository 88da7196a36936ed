package io.gitcrq.gitwatcher.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** git-watcher's settings ({@code gitcrq.git-watcher.*}); defaults are in application.properties. */
@ConfigMapping(prefix = "gitcrq.git-watcher")
public interface GitWatcherConfig {

    /** How often every watched repository is polled; the scheduler reads the same key. */
    Duration pollInterval();

    /**
     * How often the scheduler polls a repository that has a webhook secret: its pushes arrive as webhooks,
     * polling is only the fallback for deliveries that were lost.
     */
    Duration webhookFallbackPollInterval();

    /** The largest webhook body accepted, in bytes; a larger one is answered with 413. */
    int webhookMaxBodyBytes();

    /** How many commits a history scan announces per transaction. */
    int scanChunkSize();

    /** Where bare mirrors of repositories watched by URL live. */
    Path mirrorDir();

    /**
     * Repositories registered at every start: {@code repos."<name>".location}, {@code .default-branch},
     * {@code .webhook-name} (what the Git host calls it, e.g. {@code acme/demo}) and {@code .webhook-secret}.
     */
    Map<String, ConfiguredRepo> repos();

    interface ConfiguredRepo {
        String location();

        Optional<String> defaultBranch();

        Optional<String> webhookName();

        Optional<String> webhookSecret();
    }
}
