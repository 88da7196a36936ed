package io.gitcrq.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The console's own settings ({@code gitcrq.console.*}). */
@ConfigMapping(prefix = "gitcrq.console")
public interface ConsoleConfig {

    /** How often a live stream (GET /events) looks for new changes. */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * Where each host's exec-agent serves its REST API, by host name ({@code gitcrq.console.exec-agents."<host>".url}):
     * an exec's recording is read there. A host without one shows its execs, not their recordings.
     */
    Map<String, ExecAgent> execAgents();

    /** One host's exec-agent. */
    interface ExecAgent {
        /** Its base URL, e.g. http://dev-host-1:8085. */
        String url();
    }
}
