package io.gitcrq.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The console's own settings ({@code gitcrq.console.*}). */
@ConfigMapping(prefix = "gitcrq.console")
public interface ConsoleConfig {

    /** How often a live stream (GET /events) looks for new changes. */
    @WithDefault("500ms")
    Duration pollInterval();
}
