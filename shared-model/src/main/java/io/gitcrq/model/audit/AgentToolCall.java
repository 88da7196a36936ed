package io.gitcrq.model.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * {@code agent-tool-call} (audit-collector, from mcp-server's {@code AgentToolCalled}): an agent acting as {@code
 * caller} called MCP tool {@code tool} with {@code arguments} (secrets masked) for {@code crqId} (null: none named),
 * with {@code outcome} {@code OK}, {@code ERROR} or {@code REFUSED} and {@code detail} (why, masked). Chained in
 * {@code gitcrq/mcp-server}; the CRQ's record when it names one, so its timeline shows what the agent did.
 */
public record AgentToolCall(
        String callId,
        String crqId,
        String caller,
        String tool,
        JsonNode arguments,
        String outcome,
        String detail,
        String eventType)
        implements AuditPayload {

    public static final String KIND = "agent-tool-call";

    /** The service whose chain ({@code gitcrq/mcp-server}) holds these records. */
    public static final String SERVICE = "mcp-server";

    public AgentToolCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
