package io.gitcrq.mcp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** mcp-server's settings: {@code gitcrq.mcp.*} (docs/reference/configuration.md). */
@ConfigMapping(prefix = "gitcrq.mcp")
public interface McpServerConfig {

    /**
     * The owning services' base URLs by name ({@code gitcrq.mcp.services."crq-service".url}): crq-service,
     * git-watcher, merge-bot, audit-collector, exec-agent.
     */
    Map<String, ServiceUrl> services();

    /**
     * The roles that may start execs and workflow runs: set it as exec-agent's {@code gitcrq.exec.allowed-roles}, so
     * that {@code exec_run} and {@code workflow_run} are offered to whom exec-agent lets run them.
     */
    @WithDefault("requester,admin")
    Set<String> execAllowedRoles();

    /** How long {@code exec_run} waits for the command's end at most, unless the call asks for less. */
    @WithDefault("10m")
    Duration execMaxWait();

    /** How long a call to an owning service may take (exec_run's wait is made of many short calls). */
    @WithDefault("60s")
    Duration requestTimeout();

    interface ServiceUrl {
        String url();
    }
}
