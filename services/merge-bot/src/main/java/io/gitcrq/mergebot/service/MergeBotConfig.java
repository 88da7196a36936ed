package io.gitcrq.mergebot.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The identity merge commits are made with (author and committer). */
@ConfigMapping(prefix = "gitcrq.merge-bot")
public interface MergeBotConfig {
    @WithDefault("gitcrq merge-bot")
    String committerName();

    @WithDefault("merge-bot@gitcrq.local")
    String committerEmail();
}
