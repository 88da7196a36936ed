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

    /** Where bare mirrors of repositories watched by URL live. */
    Path mirrorDir();

    /** Repositories registered at every start: {@code repos."<name>".location} and {@code .default-branch}. */
    Map<String, ConfiguredRepo> repos();

    interface ConfiguredRepo {
        String location();

        Optional<String> defaultBranch();
    }
}
