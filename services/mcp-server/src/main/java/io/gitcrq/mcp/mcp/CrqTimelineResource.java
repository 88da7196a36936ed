package io.gitcrq.mcp.mcp;

import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.service.CallerContext;
import io.gitcrq.mcp.service.GitcrqActions;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.ResourceTemplateArg;
import io.quarkiverse.mcp.server.TextResourceContents;
import jakarta.inject.Inject;

/** A CRQ's timeline (audit-collector's, oldest first) as an MCP resource: {@code gitcrq://crqs/CRQ-n/timeline}. */
public class CrqTimelineResource {

    @Inject
    CallerContext callers;

    @Inject
    GitcrqActions actions;

    @ResourceTemplate(
            name = "crq_timeline",
            title = "CRQ timeline",
            description = "A CRQ's timeline: its CRQ, Git, merge, exec and audit events, oldest first (JSON).",
            uriTemplate = "gitcrq://crqs/{id}/timeline",
            mimeType = "application/json")
    TextResourceContents timeline(@ResourceTemplateArg(name = "id") String id, RequestUri uri) {
        Caller caller = callers.current();
        if (!caller.mayActOn(id)) {
            throw new McpException(GitcrqActions.outOfScope(id, caller).getMessage(), JsonRpcErrorCodes.SECURITY_ERROR);
        }
        try {
            return new TextResourceContents(
                    uri.value(), GitcrqTools.json(actions.auditTimeline(caller, id, null, null)), "application/json");
        } catch (EntityNotFoundException e) {
            throw new McpException(Refusals.describe(e), JsonRpcErrorCodes.RESOURCE_NOT_FOUND);
        } catch (NotPermittedException e) {
            throw new McpException(Refusals.describe(e), JsonRpcErrorCodes.SECURITY_ERROR);
        } catch (DomainException e) {
            throw new McpException(Refusals.describe(e), JsonRpcErrorCodes.INVALID_PARAMS);
        }
    }
}
