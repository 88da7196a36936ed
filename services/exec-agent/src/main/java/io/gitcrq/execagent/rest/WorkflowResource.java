package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.service.ExecPermissions;
import io.gitcrq.execagent.workflow.WorkflowRuns;
import io.gitcrq.kit.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * GitHub-Actions-style workflow runs on this agent's host, each step an exec in a tmux pane of the run's session:
 * any user may look; holders of a role that may run execs ({@code gitcrq.exec.allowed-roles}) may start one.
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
    public Response start(StartWorkflowRequest request) {
        String user = identity.getPrincipal().getName();
        if (!permissions.allows(identity.getRoles())) {
            throw ProblemException.forbidden(permissions.refusal(user));
        }
        WorkflowView view = runs.start(request, user);
        return Response.accepted(view).location(URI.create("/workflows/" + view.runId())).build();
    }

    @GET
    @Path("{runId}")
    public WorkflowView get(@PathParam("runId") String runId) {
        return runs.get(runId);
    }
}
