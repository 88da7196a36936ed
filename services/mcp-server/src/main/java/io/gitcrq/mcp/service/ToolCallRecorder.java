package io.gitcrq.mcp.service;

import io.gitcrq.mcp.domain.ToolCall;

/**
 * Puts each tool call on the record, whatever its outcome: the one place every call passes through
 * ({@link AuditedToolCalls}: the {@code agent-tool-call} audit record in the CRQ's trail, docs/guide/mcp.md).
 */
public interface ToolCallRecorder {

    void record(ToolCall call);
}
