package io.gitcrq.mergebot.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;

/** The identity merge commits are made with, and how remote repositories are reached. */
@ConfigMapping(prefix = "gitcrq.merge-bot")
public interface MergeBotConfig {
    @WithDefault("gitcrq merge-bot")
    String committerName();

    @WithDefault("merge-bot@gitcrq.local")
    String committerEmail();

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
