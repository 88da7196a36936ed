package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.repository.ViolationRepository;
import io.gitcrq.gitwatcher.service.RepoRegistry;
import io.gitcrq.model.api.git.ViolationView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The policy violations this service found, newest first. */
@Path("/violations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class ViolationResource {

    private final ViolationRepository violations;
    private final RepoRegistry registry;

    public ViolationResource(ViolationRepository violations, RepoRegistry registry) {
        this.violations = violations;
        this.registry = registry;
    }

    @GET
    @Transactional
    public List<ViolationView> list(@QueryParam("repo") String repo) {
        if (repo != null) {
            registry.get(repo); // an unknown repository is a 404, not an empty list
        }
        return violations.newestFirst(repo).stream().map(ApiViews::violation).toList();
    }
}
