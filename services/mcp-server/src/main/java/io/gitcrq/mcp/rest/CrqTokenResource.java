package io.gitcrq.mcp.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.mcp.service.CallerContext;
import io.gitcrq.mcp.service.CrqTokens;
import io.gitcrq.model.api.mcp.CreateCrqTokenRequest;
import io.gitcrq.model.api.mcp.CrqTokenView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;

/**
 * CRQ-scoped tokens for the MCP server (docs/guide/mcp.md#crq-scoped-tokens): {@code POST /crq-tokens} makes one for a
 * CRQ the caller can see, answered once with the token itself; {@code DELETE /crq-tokens/{id}} revokes it.
 */
@Path("/crq-tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class CrqTokenResource {

    private final CrqTokens tokens;
    private final CallerContext callers;

    public CrqTokenResource(CrqTokens tokens, CallerContext callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    @POST
    public Response make(@NotNull CreateCrqTokenRequest request) {
        InvalidRequestException.throwIfAny(request.problems());
        CrqTokenView made =
                tokens.make(callers.current(), request.crqId(), Duration.ofMinutes(request.validForMinutesOrDefault()));
        return Response.created(URI.create("/crq-tokens/" + made.id()))
                .header("Cache-Control", "no-store")
                .entity(made)
                .build();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(callers.current(), id);
        return Response.noContent().build();
    }
}
