package io.gitcrq.mergebot.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.mergebot.service.CheckReports;
import io.gitcrq.model.api.merge.CheckRequest;
import io.gitcrq.model.api.merge.CheckView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/** Check reports on commits: CI posts them (role ci, or admin); merges wait for the required ones. */
@Path("/checks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin", "ci"})
public class CheckResource {

    private final CheckReports checks;
    private final SecurityIdentity identity;

    public CheckResource(CheckReports checks, SecurityIdentity identity) {
        this.checks = checks;
        this.identity = identity;
    }

    /** Records the report and announces it (CheckReported); the merge queues run when it is consumed. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"ci", "admin"})
    public Response report(@NotNull CheckRequest request) {
        InvalidRequestException.throwIfAny(request.problems());
        CheckView recorded = ApiViews.check(checks.report(
                request.repo(),
                request.commitIdLowerCase(),
                request.name(),
                request.status(),
                request.url(),
                identity.getPrincipal().getName()));
        return Response.accepted(recorded).build();
    }

    @GET
    @Transactional
    public List<CheckView> ofCommit(@QueryParam("repo") String repo, @QueryParam("commit") String commit) {
        if (repo == null || repo.isBlank() || commit == null || commit.isBlank()) {
            throw new InvalidRequestException("query parameters repo and commit are required "
                    + "(e.g. /checks?repo=demo&commit=<full commit id>)");
        }
        return checks.ofCommit(repo, commit.toLowerCase(Locale.ROOT)).stream()
                .map(ApiViews::check)
                .toList();
    }
}
