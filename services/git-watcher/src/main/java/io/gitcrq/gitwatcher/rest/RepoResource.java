package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.domain.Actor;
import io.gitcrq.gitwatcher.git.GitAccessException;
import io.gitcrq.gitwatcher.repository.EmittedCommits;
import io.gitcrq.gitwatcher.service.BranchCreator;
import io.gitcrq.gitwatcher.service.HistoryScanner;
import io.gitcrq.gitwatcher.service.RepoPolicyReader;
import io.gitcrq.gitwatcher.service.RepoPoller;
import io.gitcrq.gitwatcher.service.RepoRegistry;
import io.gitcrq.gitwatcher.service.WebhookSettings;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.git.CreateBranchRequest;
import io.gitcrq.model.api.git.CreatedBranch;
import io.gitcrq.model.api.git.PolicyView;
import io.gitcrq.model.api.git.PollSummary;
import io.gitcrq.model.api.git.RegisterRepoRequest;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ScanProgress;
import io.gitcrq.model.api.git.UnlinkedPage;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

@Path("/repos")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class RepoResource {

    private final RepoRegistry registry;
    private final RepoPoller poller;
    private final BranchCreator branches;
    private final HistoryScanner scanner;
    private final EmittedCommits emitted;
    private final WebhookSettings webhooks;
    private final RepoPolicyReader policies;
    private final SecurityIdentity identity;

    public RepoResource(
            RepoRegistry registry,
            RepoPoller poller,
            BranchCreator branches,
            HistoryScanner scanner,
            EmittedCommits emitted,
            WebhookSettings webhooks,
            RepoPolicyReader policies,
            SecurityIdentity identity) {
        this.identity = identity;
        this.registry = registry;
        this.poller = poller;
        this.branches = branches;
        this.scanner = scanner;
        this.emitted = emitted;
        this.webhooks = webhooks;
        this.policies = policies;
    }

    /**
     * 201 for a new repository, owned by the caller; 200 when the same name and location are registered again (then
     * the webhook name and secret given, if any, replace the registered ones: 403 unless the caller is an admin or
     * the repository's owner).
     */
    @POST
    public Response register(@Valid @NotNull RegisterRepoRequest request) {
        RepoRegistry.Registration registration = registry.register(
                request.name(),
                request.location(),
                request.defaultBranch(),
                new RepoRegistry.Webhook(request.webhookName(), request.webhookSecret()),
                new Actor(identity.getPrincipal().getName(), identity.hasRole("admin")));
        RepoView view = ApiViews.repo(registration.repo(), webhooks);
        return registration.created()
                ? Response.created(UriBuilder.fromPath("/repos/{name}").build(view.name()))
                        .entity(view)
                        .build()
                : Response.ok(view).build();
    }

    @GET
    public List<RepoView> list() {
        return registry.list().stream()
                .map(repo -> ApiViews.repo(repo, webhooks))
                .toList();
    }

    @GET
    @Path("{name}")
    public RepoView get(@PathParam("name") String name) {
        return ApiViews.repo(registry.get(name), webhooks);
    }

    /**
     * The gitcrq policy git-watcher applies to the repository, read now: a local repository's git config
     * (section {@code gitcrq}) over the service-wide {@code gitcrq.policy.*}; a remote repository gets the latter.
     */
    /** 204: no longer watched; 403 unless an admin or the repository's owner asks; 404 for a name not watched. */
    @DELETE
    @Path("{name}")
    public void unwatch(@PathParam("name") String name) {
        registry.unwatch(name, new Actor(identity.getPrincipal().getName(), identity.hasRole("admin")));
    }

    @GET
    @Path("{name}/policy")
    public PolicyView policy(@PathParam("name") String name) {
        try {
            return ApiViews.policy(name, policies.of(registry.get(name)));
        } catch (GitAccessException e) {
            throw new ProblemException(502, "Bad Gateway", "cannot read " + name + ": " + e.getMessage());
        }
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
        CreatedBranch created = branches.create(name, request.name(), request.from());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    /**
     * Starts a history scan (backfill) of every branch, or of {@code branch}: 202 with its progress, which
     * {@code GET} on the same path follows. 409 while a scan of the repository runs.
     */
    @POST
    @Path("{name}/scan")
    public Response scan(@PathParam("name") String name, @QueryParam("branch") String branch) {
        ScanProgress progress = scanner.start(name, branch == null || branch.isBlank() ? null : branch.trim());
        return Response.accepted(progress)
                .location(UriBuilder.fromPath("/repos/{name}/scan").build(name))
                .build();
    }

    /** The progress of the running scan, or how the last one ended. */
    @GET
    @Path("{name}/scan")
    public ScanProgress scanProgress(@PathParam("name") String name) {
        registry.get(name); // an unknown repository is told apart from one never scanned
        return scanner.progress(name)
                .orElseThrow(() -> ProblemException.notFound(
                        name + " has never been scanned; POST /repos/" + name + "/scan starts a history scan"));
    }

    /**
     * Commits announced without any CRQ (neither their message nor their branch names one), newest first:
     * {@code branch}, {@code from} (inclusive) and {@code to} (exclusive) filter, by commit time.
     */
    @GET
    @Path("{name}/unlinked-commits")
    @Transactional
    public UnlinkedPage unlinkedCommits(
            @PathParam("name") String name,
            @QueryParam("branch") String branch,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("page") String page,
            @QueryParam("size") String size) {
        registry.get(name);
        UnlinkedQuery query = UnlinkedQuery.of(name, branch, from, to, page, size);
        return new UnlinkedPage(
                emitted.countUnlinked(query.filter()),
                query.page(),
                query.size(),
                emitted.unlinked(query.filter(), query.offset(), query.size()));
    }
}
