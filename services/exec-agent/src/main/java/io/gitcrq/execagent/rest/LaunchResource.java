package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.launch.LaunchProfile;
import io.gitcrq.execagent.launch.LaunchProfiles;
import io.gitcrq.execagent.launch.Launcher;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository.NewExec;
import io.gitcrq.execagent.service.ExecPermissions;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * Launch profiles: anyone may read them (they hold credential references, never values); holders of an allowed
 * role may launch one for a CRQ, which starts a managed exec ({@code GET /execs/{execId}} follows it).
 */
@Path("/launches")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class LaunchResource {

    private final Launcher launcher;
    private final LaunchProfiles profiles;
    private final ExecPermissions permissions;
    private final ExecStarter starter;
    private final ExecAgentConfig config;
    private final SecurityIdentity identity;
    private final Redactor redactor;

    public LaunchResource(
            Launcher launcher,
            LaunchProfiles profiles,
            ExecPermissions permissions,
            ExecStarter starter,
            ExecAgentConfig config,
            SecurityIdentity identity,
            Redactor redactor) {
        this.launcher = launcher;
        this.profiles = profiles;
        this.permissions = permissions;
        this.starter = starter;
        this.config = config;
        this.identity = identity;
        this.redactor = redactor;
    }

    /**
     * 202 with the exec the launch started (or, for a workflow profile, the workflow run, at {@code /workflows/{id}});
     * 400/403/404/409 problems name what stops it.
     */
    @POST
    public Response launch(
            @NotNull StartLaunchRequest request, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        String user = identity.getPrincipal().getName();
        if (!permissions.allows(identity.getRoles())) {
            String reason = permissions.refusal(user);
            starter.refuse(
                    new NewExec(
                            UUID.randomUUID().toString(),
                            config.host(),
                            request.session(),
                            request.pane(),
                            "launch " + request.profile(),
                            request.crqId(),
                            request.branch(),
                            null,
                            user,
                            null,
                            SqlTimes.now()),
                    reason);
            throw ProblemException.forbidden(reason);
        }
        Launcher.Launched launched = launcher.launch(request, user, IdempotencyKey.of(idempotencyKey, request));
        Response.ResponseBuilder answer;
        if (launched.run() != null) {
            answer = Response.accepted(launched.run())
                    .location(URI.create("/workflows/" + launched.run().runId()));
        } else {
            ExecView view = ExecViews.of(launched.exec(), redactor, Map.of());
            answer = Response.accepted(view).location(URI.create("/execs/" + view.execId()));
        }
        if (launched.repeat()) {
            answer.header(IdempotencyKey.REPLAYED_HEADER, "true");
        }
        return answer.build();
    }

    /** Every profile of this agent by name, with its description. */
    @GET
    @Path("profiles")
    public Map<String, String> profiles() {
        return profiles.list();
    }

    /** A profile with all it inherits. */
    @GET
    @Path("profiles/{name}")
    public LaunchProfile profile(@PathParam("name") String name) {
        return profiles.resolve(name);
    }
}
