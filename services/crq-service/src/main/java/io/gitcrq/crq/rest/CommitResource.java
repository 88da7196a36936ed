package io.gitcrq.crq.rest;

import io.gitcrq.crq.service.CrqQueries;
import io.gitcrq.model.api.crq.CommitCrqs;
import io.gitcrq.model.policy.CrqId;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** From a commit back to its change requests. */
@Path("/commits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class CommitResource {

    private final CrqQueries queries;

    public CommitResource(CrqQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("{commitId}/crqs")
    @Transactional
    public CommitCrqs crqsOf(@PathParam("commitId") String commitId) {
        return new CommitCrqs(
                commitId,
                queries.crqsOfCommit(commitId).stream().map(CrqId::toString).toList());
    }
}
