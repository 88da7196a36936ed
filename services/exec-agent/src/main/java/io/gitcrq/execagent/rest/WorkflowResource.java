package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.service.ExecPermissions;
import io.gitcrq.execagent.workflow.WorkflowRuns;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * GitHub-Actions-style workflow runs on this agent's host, each step an exec in a tmux pane of the run's session:
 * any user may look; holders of a role that may run execs ({@code gitcrq.exec.allowed-roles}) may start and cancel
 * them.
 */
@Path("/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class WorkflowResource {

    private final WorkflowRuns runs;
    private final ExecPermissions permissions;
    private final SecurityIdentity identity;

    public WorkflowResource(WorkflowRuns runs, ExecPermissions permissions, SecurityIdentity identity) {
        this.runs = runs;
        this.permissions = permissions;
        this.identity = identity;
    }

    /**
     * 202: the workflow is valid and runs; {@code GET /workflows/{runId}} follows it. A workflow that cannot run
     * ({@code uses:}, a cycle in {@code needs}, bad YAML…) is a 400 with the engine's message, and nothing runs.
     */
    @POST
    public Response start(StartWorkflowRequest request, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        WorkflowRuns.Started started = runs.start(request, allowedUser(), IdempotencyKey.of(idempotencyKey, request));
        Response.ResponseBuilder answer = Response.accepted(started.run())
                .location(URI.create("/workflows/" + started.run().runId()));
        if (started.repeat()) {
            answer.header(IdempotencyKey.REPLAYED_HEADER, "true");
        }
        return answer.build();
    }

    @GET
    @Path("{runId}")
    public WorkflowView get(@PathParam("runId") String runId) {
        return runs.get(runId);
    }

    /**
     * 202: the run is being cancelled (its running steps stopped, {@code if: always()} steps still run) and shows
     * who cancelled it; {@code GET /workflows/{runId}} tells when it is CANCELLED. 404 unknown run, 409 ended run.
     */
    @POST
    @Path("{runId}/cancel")
    public Response cancel(@PathParam("runId") String runId) {
        WorkflowView view = runs.cancel(runId, allowedUser());
        return Response.accepted(view)
                .location(URI.create("/workflows/" + view.runId()))
                .build();
    }

    /** Runs newest first (without their jobs): of a CRQ, of a status, at most {@code limit} (default 20, up to 200). */
    @GET
    public List<WorkflowView> list(
            @QueryParam("crq") String crq, @QueryParam("status") String status, @QueryParam("limit") String limit) {
        return runs.list(crq, status, limit);
    }

    /** The caller, if they hold a role that may run execs (starting or cancelling a run); 403 otherwise. */
    private String allowedUser() {
        String user = identity.getPrincipal().getName();
        if (!permissions.allows(identity.getRoles())) {
            throw ProblemException.forbidden(permissions.refusal(user));
        }
        return user;
    }
}
