package io.gitcrq.crq.rest;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.service.CrqLifecycle;
import io.gitcrq.crq.service.CrqQueries;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.model.api.crq.CreateCrqRequest;
import io.gitcrq.model.api.crq.CrqView;
import io.gitcrq.model.api.crq.EditCrqRequest;
import io.gitcrq.model.api.crq.TransitionRequest;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

@Path("/crqs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class CrqResource {

    private final CrqLifecycle lifecycle;
    private final CrqQueries queries;
    private final SecurityIdentity identity;

    public CrqResource(CrqLifecycle lifecycle, CrqQueries queries, SecurityIdentity identity) {
        this.lifecycle = lifecycle;
        this.queries = queries;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({"requester", "admin"})
    public Response create(
            @NotNull CreateCrqRequest request, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        InvalidRequestException.throwIfAny(request.problems());
        CrqLifecycle.Created created = lifecycle.create(
                user(),
                request.title(),
                request.description(),
                request.repo(),
                request.targetBranchOrDefault(),
                IdempotencyKey.of(idempotencyKey, request));
        Response.ResponseBuilder answer =
                Response.created(URI.create("/crqs/" + created.crq().crqId())).entity(view(created.crq()));
        if (created.repeat()) {
            answer.header(IdempotencyKey.REPLAYED_HEADER, "true");
        }
        return answer.build();
    }

    @GET
    @Path("{id}")
    @Transactional
    public CrqView get(@PathParam("id") String id) {
        return view(lifecycle.find(parse(id)));
    }

    @GET
    @Transactional
    public List<CrqView> list(@QueryParam("status") String status, @QueryParam("repo") String repo) {
        return queries.list(status == null ? null : parseStatus(status), repo).stream()
                .map(CrqViews::of)
                .toList();
    }

    /** 200 with the CRQ as it is now: its title and/or description changed (the requester's or an admin's). */
    @PATCH
    @Path("{id}")
    public CrqView edit(@PathParam("id") String id, @NotNull EditCrqRequest request) {
        InvalidRequestException.throwIfAny(request.problems());
        return view(lifecycle.edit(parse(id), user(), isAdmin(), request.title(), request.description()));
    }

    @POST
    @Path("{id}/submit")
    public CrqView submit(@PathParam("id") String id, TransitionRequest body) {
        String reason = reasonOf(body);
        return view(lifecycle.submit(parse(id), user(), isAdmin(), reason));
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed({"approver", "admin"})
    public CrqView approve(@PathParam("id") String id, TransitionRequest body) {
        String reason = reasonOf(body);
        return view(lifecycle.approve(parse(id), user(), reason, TransitionRequest.commitOf(body)));
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed({"approver", "admin"})
    public CrqView reject(@PathParam("id") String id, TransitionRequest body) {
        String reason = reasonOf(body);
        return view(lifecycle.reject(parse(id), user(), reason));
    }

    @POST
    @Path("{id}/cancel")
    public CrqView cancel(@PathParam("id") String id, TransitionRequest body) {
        String reason = reasonOf(body);
        return view(lifecycle.cancel(parse(id), user(), isAdmin(), reason));
    }

    private CrqView view(ChangeRequest crq) {
        return CrqViews.of(queries.details(crq));
    }

    /** Judged before the CRQ id is, as Bean Validation did before the method ran. */
    private static String reasonOf(TransitionRequest body) {
        if (body != null) {
            InvalidRequestException.throwIfAny(body.problems());
        }
        return TransitionRequest.reasonOf(body);
    }

    private String user() {
        return identity.getPrincipal().getName();
    }

    private boolean isAdmin() {
        return identity.hasRole("admin");
    }

    static CrqId parse(String id) {
        try {
            return CrqId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new EntityNotFoundException("no change request " + id + " (ids look like CRQ-12)");
        }
    }

    private static CrqStatus parseStatus(String status) {
        try {
            return CrqStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "unknown status " + status + "; one of " + Arrays.toString(CrqStatus.values()));
        }
    }
}
