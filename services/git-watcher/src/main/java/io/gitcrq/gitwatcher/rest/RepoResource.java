package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.service.BranchCreator;
import io.gitcrq.gitwatcher.service.PollSummary;
import io.gitcrq.gitwatcher.service.RepoPoller;
import io.gitcrq.gitwatcher.service.RepoRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

@Path("/repos")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class RepoResource {

    private final RepoRegistry registry;
    private final RepoPoller poller;
    private final BranchCreator branches;

    public RepoResource(RepoRegistry registry, RepoPoller poller, BranchCreator branches) {
        this.registry = registry;
        this.poller = poller;
        this.branches = branches;
    }

    /** 201 for a new repository, 200 when the same name and location are registered again. */
    @POST
    public Response register(@Valid @NotNull RegisterRepoRequest request) {
        RepoRegistry.Registration registration =
                registry.register(request.name(), request.location(), request.defaultBranch());
        RepoView view = RepoView.of(registration.repo());
        return registration.created()
                ? Response.created(URI.create("/repos/" + view.name())).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    public List<RepoView> list() {
        return registry.list().stream().map(RepoView::of).toList();
    }

    @GET
    @Path("{name}")
    public RepoView get(@PathParam("name") String name) {
        return RepoView.of(registry.get(name));
    }

    /** Polls now and says what it found; waits for a poll of the same repository that is running. */
    @POST
    @Path("{name}/poll")
    public PollSummary poll(@PathParam("name") String name) {
        return poller.poll(name);
    }

    @POST
    @Path("{name}/branches")
    public Response createBranch(@PathParam("name") String name, @Valid @NotNull CreateBranchRequest request) {
        BranchCreator.CreatedBranch created = branches.create(name, request.name(), request.from());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }
}
