package io.gitcrq.mcp.mcp;

import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.domain.ToolAccess;
import io.gitcrq.mcp.domain.ToolCall;
import io.gitcrq.mcp.service.CallerContext;
import io.gitcrq.mcp.service.GitcrqActions;
import io.gitcrq.mcp.service.ToolCallRecorder;
import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Context;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Offers each caller only the tools their roles allow ({@link ToolAccess}): an approver's agent sees no
 * {@code crq_create}, a requester's no {@code crq_approve}, an agent with a CRQ-scoped token only the tools for one
 * CRQ. The owning service still decides each call.
 * <p>
 * The MCP library applies this filter to {@code tools/call} too, refusing a tool not offered before any tool method
 * runs: such a refusal is put on the record here ({@code REFUSED}), without its arguments, which the library does
 * not hand to a filter.
 */
@Singleton
public class CallerToolFilter implements ToolFilter {

    private final ToolAccess access;
    private final CurrentIdentityAssociation identities;
    private final CallerContext callers;
    private final ToolCallRecorder recorder;
    private final ManagedExecutor executor;

    public CallerToolFilter(
            ToolAccess access,
            CurrentIdentityAssociation identities,
            CallerContext callers,
            ToolCallRecorder recorder,
            ManagedExecutor executor) {
        this.access = access;
        this.identities = identities;
        this.callers = callers;
        this.recorder = recorder;
        this.executor = executor;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            return false;
        }
        Caller caller = callers.current();
        boolean offered = access.offers(tool.name(), caller);
        if (!offered && context.method() == McpMethod.TOOLS_CALL) {
            recordRefusal(tool.name(), caller);
        }
        return offered;
    }

    private void recordRefusal(String tool, Caller caller) {
        ToolCall refused = new ToolCall(
                tool,
                caller,
                null,
                Map.of(),
                ToolCall.Outcome.REFUSED,
                GitcrqActions.notOffered(tool, caller).getMessage(),
                Instant.now());
        if (Context.isOnEventLoopThread()) {
            // The record is a database write: never on the event loop.
            executor.execute(() -> recorder.record(refused));
        } else {
            recorder.record(refused);
        }
    }
}
