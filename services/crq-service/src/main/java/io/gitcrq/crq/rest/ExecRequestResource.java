package io.gitcrq.crq.rest;

import io.gitcrq.crq.service.ExecRequests;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.api.crq.QueueExecRequest;
import io.gitcrq.model.api.crq.QueuedExec;
import io.gitcrq.model.event.ExecRequested;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * {@code POST /crqs/{id}/exec-requests}: have a command run on a host's exec-agent for the CRQ, through Kafka, with
 * an exec grant for the caller. 202: sent (the agent may still refuse it: its host policy, a busy pane); 403 without
 * a role that may run commands; 404 for an unknown CRQ; 409 for one that is no longer open.
 */
@Path("/crqs/{id}/exec-requests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class ExecRequestResource {

    private final ExecRequests execRequests;
    private final SecurityIdentity identity;

    public ExecRequestResource(ExecRequests execRequests, SecurityIdentity identity) {
        this.execRequests = execRequests;
        this.identity = identity;
    }

    @POST
    @ResponseStatus(202) // sent, not run: the agent runs it once it verified the grant
    public QueuedExec request(@PathParam("id") String id, @NotNull QueueExecRequest body) {
        InvalidRequestException.throwIfAny(body.problems());
        ExecRequests.Queued queued = execRequests.request(
                CrqResource.parse(id),
                identity.getPrincipal().getName(),
                identity.getRoles(),
                body.host(),
                body.session(),
                body.pane(),
                body.command(),
                body.cwd(),
                body.branch(),
                body.audit(),
                body.auditPaths());
        ExecRequested r = queued.request();
        return new QueuedExec(
                r.execId(), r.crqId(), r.host(), r.session(), r.pane(), r.requestedBy(), queued.grantExpiresAt());
    }
}
