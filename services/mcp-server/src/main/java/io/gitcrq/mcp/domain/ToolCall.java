package io.gitcrq.mcp.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call of a tool, as it is put on the record: who called which tool, with which arguments (as the agent gave
 * them: they are masked where they are recorded), for which CRQ (the one the call named, or the CRQ it created;
 * null: none), how it ended and, when not {@link Outcome#OK}, why ({@code detail}).
 */
public record ToolCall(
        String tool,
        Caller caller,
        String crqId,
        Map<String, Object> arguments,
        Outcome outcome,
        String detail,
        Instant at) {

    /** How a call ended: answered; refused or failed by the owning service; refused here (a tool not offered). */
    public enum Outcome {
        OK,
        ERROR,
        REFUSED
    }

    public ToolCall {
        // Arguments may hold nulls (optional ones not given): kept in order, unmodifiable.
        arguments = arguments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
