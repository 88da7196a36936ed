package io.gitcrq.mergebot.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.mergebot.service.RepoMergeSettings;
import io.gitcrq.mergebot.service.StaleBranches;
import io.gitcrq.model.api.merge.MergeSettingsRequest;
import io.gitcrq.model.api.merge.MergeSettingsView;
import io.gitcrq.model.api.merge.StaleBranch;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** A repository as merge-bot sees it: how its CRQs are merged, and which of its branches look abandoned. */
@Path("/repos/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin", "ci"})
public class RepoResource {

    private static final int DEFAULT_STALE_DAYS = 30;
    private static final int MAX_STALE_DAYS = 36500;

    private final RepoMergeSettings settings;
    private final StaleBranches staleBranches;
    private final SecurityIdentity identity;

    public RepoResource(RepoMergeSettings settings, StaleBranches staleBranches, SecurityIdentity identity) {
        this.settings = settings;
        this.staleBranches = staleBranches;
        this.identity = identity;
    }

    @GET
    @Path("merge-settings")
    @Transactional
    public MergeSettingsView mergeSettings(@PathParam("repo") String repo) {
        return ApiViews.settings(settings.of(repo));
    }

    /** Replaces the settings (omitted fields take their defaults) and runs the repository's merge queues. */
    @PUT
    @Path("merge-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"approver", "admin"})
    public MergeSettingsView updateMergeSettings(
            @PathParam("repo") String repo, @NotNull MergeSettingsRequest request) {
        InvalidRequestException.throwIfAny(request.problems());
        return ApiViews.settings(settings.update(
                repo,
                request.strategy(),
                request.requiredChecks(),
                request.deleteMergedBranchOrDefault(),
                identity.getPrincipal().getName()));
    }

    @GET
    @Path("stale-branches")
    @RolesAllowed({"requester", "approver", "admin"})
    @Transactional
    public List<StaleBranch> staleBranches(@PathParam("repo") String repo, @QueryParam("days") String days) {
        return staleBranches.of(repo, parseDays(days), Instant.now());
    }

    private static int parseDays(String days) {
        if (days == null || days.isBlank()) {
            return DEFAULT_STALE_DAYS;
        }
        try {
            int parsed = Integer.parseInt(days.strip());
            if (parsed >= 0 && parsed <= MAX_STALE_DAYS) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(
                "days must be a whole number from 0 to " + MAX_STALE_DAYS + ", not '" + days + "'");
    }
}
