package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.audit.AuditPlan;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.AuditSourceState;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecAuditRepository;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.repository.ExecRepository.NewExec;
import io.gitcrq.execagent.service.ExecPermissions;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Commands run on this agent's host: any user may look (at an exec, and at its recording); holders of an
 * allowed role may ask.
 */
@Path("/execs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ExecResource {

    /** Without a CRQ to filter by, the list shows the latest execs only. */
    static final int LATEST = 100;
    /** asciinema's media type for asciicast files. */
    public static final String ASCIICAST = "application/x-asciicast";

    private final ExecStarter starter;
    private final ExecRepository execs;
    private final ExecPermissions permissions;
    private final ExecAgentConfig config;
    private final SecurityIdentity identity;
    private final Redactor redactor;
    private final AuditPlan auditPlan;
    private final ExecAuditRepository audits;

    public ExecResource(
            ExecStarter starter,
            ExecRepository execs,
            ExecPermissions permissions,
            ExecAgentConfig config,
            SecurityIdentity identity,
            Redactor redactor,
            AuditPlan auditPlan,
            ExecAuditRepository audits) {
        this.starter = starter;
        this.execs = execs;
        this.permissions = permissions;
        this.config = config;
        this.identity = identity;
        this.redactor = redactor;
        this.auditPlan = auditPlan;
        this.audits = audits;
    }

    /** 202: the command is accepted and starts in its pane; {@code GET /execs/{execId}} tells how it ends. */
    @POST
    public Response start(@NotNull StartExecRequest request) {
        String user = identity.getPrincipal().getName();
        // The allowed roles are configuration, so the check is here rather than in @RolesAllowed; the refusal is
        // audited like every other.
        if (!permissions.allows(identity.getRoles())) {
            String reason = permissions.refusal(user);
            starter.refuse(
                    new NewExec(
                            UUID.randomUUID().toString(),
                            config.host(),
                            request.session(),
                            request.pane(),
                            request.command(),
                            request.crqId(),
                            request.branch(),
                            request.cwd(),
                            user,
                            null,
                            SqlTimes.now()),
                    reason);
            throw ProblemException.forbidden(reason);
        }
        ExecOrder order = ExecOrder.validate(
                        UUID.randomUUID().toString(),
                        config.host(),
                        request.session(),
                        request.pane(),
                        request.command(),
                        request.crqId(),
                        request.branch(),
                        request.cwd(),
                        user,
                        config.defaultCwd())
                .withAudit(auditPlan.select(request.audit(), request.auditPaths()));
        ExecView view = ExecViews.of(starter.start(order), redactor, Map.of());
        return Response.accepted(view)
                .location(URI.create("/execs/" + view.execId()))
                .build();
    }

    @GET
    @Path("{execId}")
    @Transactional
    public ExecView get(@PathParam("execId") String execId) {
        return ExecViews.of(exec(execId), redactor, audits.of(execId));
    }

    /**
     * The exec's recording, asciicast v2 ({@code gitcrq replay} plays it); 404 with a problem body while the
     * command runs, or when it has none (refused, never started, or no util-linux script on this host).
     */
    @GET
    @Path("{execId}/recording")
    @Produces(ASCIICAST)
    @Transactional
    public Response recording(@PathParam("execId") String execId) {
        ManagedExec exec = exec(execId);
        if (exec.status == ExecStatus.RUNNING) {
            throw ProblemException.notFound(
                    "exec " + execId + " is still running: its recording is written when it ends");
        }
        if (exec.recordingPath == null) {
            throw ProblemException.notFound("exec " + execId + " has no recording"
                    + (exec.reason == null ? "" : " (" + redactor.mask(exec.reason) + ")"));
        }
        java.nio.file.Path file = java.nio.file.Path.of(exec.recordingPath);
        if (!Files.isRegularFile(file)) {
            throw ProblemException.notFound(
                    "the recording of exec " + execId + " is no longer on " + config.host() + " (" + file + ")");
        }
        return Response.ok(file.toFile(), ASCIICAST)
                .header("Content-Disposition", "inline; filename=\"" + execId + ".cast\"")
                .build();
    }

    private ManagedExec exec(String execId) {
        return execs.byId(execId)
                .orElseThrow(() -> ProblemException.notFound("no exec " + execId + " on " + config.host()));
    }

    @GET
    @Transactional
    public List<ExecView> list(@QueryParam("crq") String crq) {
        if (crq != null && !CrqId.isValid(crq)) {
            throw ProblemException.badRequest("crq must be a CRQ id like CRQ-12, not '" + crq + "'");
        }
        List<ManagedExec> found = crq == null
                ? execs.latest(LATEST)
                : execs.ofCrq(CrqId.parse(crq).toString());
        Map<String, Map<String, AuditSourceState>> sources =
                audits.of(found.stream().map(e -> e.execId).toList());
        return found.stream()
                .map(e -> ExecViews.of(e, redactor, sources.getOrDefault(e.execId, Map.of())))
                .toList();
    }
}
