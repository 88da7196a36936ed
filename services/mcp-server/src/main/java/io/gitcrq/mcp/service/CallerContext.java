package io.gitcrq.mcp.service;

import io.gitcrq.mcp.domain.Caller;

/** Who calls now: the caller of the MCP request being handled (the HTTP edge knows it). */
public interface CallerContext {

    Caller current();
}
