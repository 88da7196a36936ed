package io.gitcrq.mergebot.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The identity merge commits are made with, how remote repositories are reached, and when a ref lock is stale. */
@ConfigMapping(prefix = "gitcrq.merge-bot")
public interface MergeBotConfig {
    @WithDefault("gitcrq merge-bot")
    String committerName();

    @WithDefault("merge-bot@gitcrq.local")
    String committerEmail();

    /**
     * A ref lock file older than this was left by a process that died holding it, and is removed (a live update
     * holds one for milliseconds); until then a merge waits for it.
     */
    @WithDefault("30s")
    Duration staleRefLockAfter();

    /** Where the bare mirrors of remote repositories live (merge-bot merges there, then pushes). */
    Path mirrorDir();

    /** Per watched repository name: the credentials merge-bot fetches and pushes a remote repository with. */
    Map<String, RemoteCredentials> credentials();

    interface RemoteCredentials {
        String username();

        /** A password or access token; never logged, never in an event. */
        String password();
    }
}
