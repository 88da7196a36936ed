package io.gitcrq.mcp.service;

import io.gitcrq.mcp.config.McpServerConfig;
import io.gitcrq.mcp.domain.ToolAccess;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The tool-by-role table, with who may start execs as configured. */
public class ToolAccessProducer {

    @Produces
    @Singleton
    ToolAccess toolAccess(McpServerConfig config) {
        return new ToolAccess(config.execAllowedRoles());
    }
}
