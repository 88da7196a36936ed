package io.gitcrq.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.model.audit.AgentToolCall;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;

/**
 * What agents did through gitcrq: each MCP tool call mcp-server announced ({@link AgentToolCalled}, on the agent
 * topic, which only mcp-server may write — so only there is it believed) kept as an {@code agent-tool-call} audit
 * record in mcp-server's chain {@code gitcrq/mcp-server}, as the CRQ's record when the call named one: the CRQ's
 * timeline shows it beside the execs it started.
 */
@ApplicationScoped
public class AgentTrail {

    private final AuditChain chain;

    public AgentTrail(AuditChain chain) {
        this.chain = chain;
    }

    /** Chains a tool call unless it was stored before (a redelivery); whether it stored it. */
    @Transactional
    public boolean record(CloudEvent envelope, AgentToolCalled called) {
        AgentToolCall call = new AgentToolCall(
                called.callId(),
                called.crqId(),
                called.caller(),
                called.tool(),
                called.arguments(),
                called.outcome(),
                called.detail(),
                envelope.type());
        String chainName = GovernanceChange.chainOf(AgentToolCall.SERVICE);
        return chain.append(new NewAuditEvent(
                envelope.id(),
                chainName,
                called.crqId(),
                AgentToolCall.KIND,
                // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
                called.at().truncatedTo(ChronoUnit.MICROS),
                json(envelope, call),
                envelope.source()));
    }

    private static String json(CloudEvent envelope, AgentToolCall call) {
        try {
            return EventCodec.mapper().writeValueAsString(call);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event " + envelope.id() + ": " + e.getOriginalMessage(), e);
        }
    }
}
