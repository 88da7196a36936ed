package io.gitcrq.mergebot.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.mergebot.service.MergeAttempts;
import io.gitcrq.model.api.merge.MergeAttemptView;
import io.gitcrq.model.policy.CrqId;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What merge-bot did for a CRQ: every merge attempt, newest first. */
@Path("/merges")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class MergeResource {

    private final MergeAttempts attempts;

    public MergeResource(MergeAttempts attempts) {
        this.attempts = attempts;
    }

    @GET
    @Transactional
    public List<MergeAttemptView> ofCrq(@QueryParam("crq") String crq) {
        return attempts.of(parse(crq)).stream().map(ApiViews::attempt).toList();
    }

    private static CrqId parse(String crq) {
        if (crq == null || crq.isBlank()) {
            throw new InvalidRequestException("query parameter crq is required (e.g. /merges?crq=CRQ-12)");
        }
        try {
            return CrqId.parse(crq);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("crq must be a CRQ id like CRQ-12, not '" + crq + "'");
        }
    }
}
