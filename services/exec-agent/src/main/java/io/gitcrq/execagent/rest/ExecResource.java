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
import io.gitcrq.execagent.service.ExecCancellation;
import io.gitcrq.execagent.service.ExecPermissions;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    private final ExecCancellation cancellation;

    public ExecResource(
            ExecStarter starter,
            ExecRepository execs,
            ExecPermissions permissions,
            ExecAgentConfig config,
            SecurityIdentity identity,
            Redactor redactor,
            AuditPlan auditPlan,
            ExecAuditRepository audits,
            ExecCancellation cancellation) {
        this.starter = starter;
        this.execs = execs;
        this.permissions = permissions;
        this.config = config;
        this.identity = identity;
        this.redactor = redactor;
        this.auditPlan = auditPlan;
        this.audits = audits;
        this.cancellation = cancellation;
    }

    /**
     * 202: the command is accepted and starts in its pane; {@code GET /execs/{execId}} tells how it ends. Every
     * refusal (no allowed role, a malformed request, an unknown or closed CRQ, the host policy, a busy pane) is
     * recorded and audited, then answered with its problem. With an {@code Idempotency-Key}, a repeat of an accepted
     * request is answered with the exec the first try started (202 again, {@code Idempotent-Replayed: true}) instead
     * of running the command twice.
     */
    @POST
    public Response start(
            @NotNull StartExecRequest request, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        String user = identity.getPrincipal().getName();
        NewExec asked = new NewExec(
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
                SqlTimes.now());
        // The allowed roles are configuration, so the check is here rather than in @RolesAllowed; the refusal is
        // audited like every other.
        if (!permissions.allows(identity.getRoles())) {
            String reason = permissions.refusal(user);
            starter.refuse(asked, reason);
            throw ProblemException.forbidden(reason);
        }
        ExecOrder order;
        IdempotencyKey key;
        try {
            key = IdempotencyKey.of(idempotencyKey, request);
            // No default directory: a plain exec runs in its CRQ's worktree when it names none (ExecStarter).
            order = ExecOrder.validate(
                            asked.execId(),
                            config.host(),
                            request.session(),
                            request.pane(),
                            request.command(),
                            request.crqId(),
                            request.branch(),
                            request.cwd(),
                            user,
                            null)
                    .withAudit(auditPlan.select(request.audit(), request.auditPaths()))
                    .keepingPane(Boolean.TRUE.equals(request.keepPane()));
        } catch (DomainException invalid) {
            starter.refuse(asked, invalid.getMessage());
            throw invalid;
        }
        ExecStarter.Started started = starter.start(order, key);
        ExecView view = ExecViews.of(started.exec(), redactor, Map.of());
        Response.ResponseBuilder answer = Response.accepted(view).location(URI.create("/execs/" + view.execId()));
        if (started.repeat()) {
            answer.header(IdempotencyKey.REPLAYED_HEADER, "true");
        }
        return answer.build();
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

    /**
     * 202: the exec's command is being stopped (SIGTERM to its processes in the pane, SIGKILL after the grace; one
     * not started never starts); {@code GET /execs/{execId}} tells when it ended, with {@code stoppedBy: cancel}
     * and who cancelled it in {@code reason}. Its requester, or an approver or admin, may cancel it: 403 otherwise,
     * 404 unknown exec, 409 ended already.
     */
    @POST
    @Path("{execId}/cancel")
    public Response cancel(@PathParam("execId") String execId) {
        ManagedExec exec = cancellation.cancel(execId, identity.getPrincipal().getName(), identity.getRoles());
        ExecView view = ExecViews.of(exec, redactor, Map.of());
        return Response.accepted(view).location(URI.create("/execs/" + execId)).build();
    }

    private ManagedExec exec(String execId) {
        return execs.byId(execId)
                .orElseThrow(() -> ProblemException.notFound("no exec " + execId + " on " + config.host()));
    }

    /**
     * The execs of a CRQ (oldest first), else the latest {@value #LATEST} (newest first); only those in
     * {@code status} (RUNNING, FINISHED, FAILED) when given, none when {@code host} is given and is not this
     * agent's.
     */
    @GET
    @Transactional
    public List<ExecView> list(
            @QueryParam("crq") String crq, @QueryParam("status") String status, @QueryParam("host") String host) {
        if (crq != null && !CrqId.isValid(crq)) {
            throw ProblemException.badRequest("crq must be a CRQ id like CRQ-12, not '" + crq + "'");
        }
        ExecStatus only = status == null ? null : parseStatus(status);
        if (host != null && !host.equals(config.host())) {
            return List.of();
        }
        List<ManagedExec> found = crq == null
                ? execs.latest(only, LATEST)
                : execs.ofCrq(CrqId.parse(crq).toString(), only);
        Map<String, Map<String, AuditSourceState>> sources =
                audits.of(found.stream().map(e -> e.execId).toList());
        return found.stream()
                .map(e -> ExecViews.of(e, redactor, sources.getOrDefault(e.execId, Map.of())))
                .toList();
    }

    private static ExecStatus parseStatus(String status) {
        try {
            return ExecStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "status must be one of " + Arrays.toString(ExecStatus.values()) + ", not '" + status + "'");
        }
    }
}
