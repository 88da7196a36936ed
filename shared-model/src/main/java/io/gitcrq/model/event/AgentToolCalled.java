package io.gitcrq.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An agent called one of gitcrq's MCP tools through mcp-server ({@code caller}: the person it acted as): which
 * {@code tool}, with which {@code arguments} (a JSON object, secrets masked: values under names such as token,
 * password, secret or credential, and values that look like credentials, as {@code ***}), for which CRQ
 * ({@code crqId}: the one the call named or created; null when none), and the {@code outcome}: {@code OK}, {@code
 * ERROR} (the owning service refused or failed; {@code detail} says what, masked) or {@code REFUSED} (mcp-server
 * refused a tool the caller's roles do not allow, before calling any service). audit-collector chains it as an
 * {@code agent-tool-call} record in the chain {@code gitcrq/mcp-server}, in the CRQ's trail.
 */
public record AgentToolCalled(
        String callId,
        String crqId,
        String tool,
        JsonNode arguments,
        String outcome,
        String detail,
        String caller,
        Instant at)
        implements DomainEvent {

    /** The tool answered. */
    public static final String OK = "OK";

    /** The owning service refused the call or failed ({@code detail} says what). */
    public static final String ERROR = "ERROR";

    /** mcp-server refused a tool the caller's roles do not allow, before calling any service. */
    public static final String REFUSED = "REFUSED";

    /** The longest {@code detail} kept (characters): a refusal's reason, not a document. */
    public static final int MAX_DETAIL = 500;

    public AgentToolCalled {
        Require.text(callId, "callId");
        Require.text(tool, "tool");
        Require.present(arguments, "arguments");
        if (!arguments.isObject()) {
            throw new IllegalArgumentException("arguments must be a JSON object");
        }
        if (!OK.equals(outcome) && !ERROR.equals(outcome) && !REFUSED.equals(outcome)) {
            throw new IllegalArgumentException("outcome must be OK, ERROR or REFUSED: " + outcome);
        }
        Require.text(caller, "caller");
        Require.present(at, "at");
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 1) + "…";
        }
    }

    /** A CRQ's calls stay in order; calls naming none, each caller's. */
    @Override
    public String partitionKey() {
        return crqId != null ? crqId : caller;
    }

    @Override
    public String subject() {
        return crqId != null ? crqId : callId;
    }
}
