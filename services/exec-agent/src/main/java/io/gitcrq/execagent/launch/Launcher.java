package io.gitcrq.execagent.launch;

import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.audit.AuditPlan;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.repository.ExecRepository.NewExec;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.execagent.workflow.WorkflowRuns;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.idempotency.IdempotencyKeys;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import io.gitcrq.model.audit.Launch;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Runs a launch profile for a CRQ as {@link LaunchPlanner} resolved it: checks out the CRQ's branch in its
 * worktree, writes the CRQ's context there, resolves the credentials (masked from then on, everywhere this agent
 * writes) and starts the tool in its tmux pane as a managed exec — recorded, audited, its
 * exit code known like any exec's. The launch itself is audited ({@value Launch#KIND}): profile, tool, project,
 * branch, worktree, the names of the variables set and where each credential came from, never a value. The
 * profile (or the launch) chooses the audit sources started around the tool, as a plain exec does.
 */
@ApplicationScoped
public class Launcher {

    // An HTTP bearer token's characters (RFC 6750's b64token), and a length no real token reaches.
    private static final Pattern MCP_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,512}");

    private final LaunchPlanner planner;
    private final Worktrees worktrees;
    private final ExecStarter starter;
    private final ExecAgentConfig config;
    private final Redactor redactor;
    private final Outbox outbox;
    private final AuditPlan auditPlan;
    private final WorkflowRuns workflows;
    private final ExecRepository execs;
    private final IdempotencyKeys requestKeys;
    private final GeminiMcpSettings geminiMcp;
    private final UnaryOperator<String> environment = System::getenv;

    public Launcher(
            LaunchPlanner planner,
            Worktrees worktrees,
            ExecStarter starter,
            ExecAgentConfig config,
            Redactor redactor,
            Outbox outbox,
            AuditPlan auditPlan,
            WorkflowRuns workflows,
            ExecRepository execs,
            IdempotencyKeys requestKeys,
            GeminiMcpSettings geminiMcp) {
        this.planner = planner;
        this.worktrees = worktrees;
        this.starter = starter;
        this.config = config;
        this.redactor = redactor;
        this.outbox = outbox;
        this.auditPlan = auditPlan;
        this.workflows = workflows;
        this.execs = execs;
        this.requestKeys = requestKeys;
        this.geminiMcp = geminiMcp;
    }

    /**
     * What a launch started: the tool's exec, or the profile's workflow run; {@code repeat} when an earlier request
     * with the same idempotency key started it.
     */
    public record Launched(ManagedExec exec, WorkflowView run, boolean repeat) {}

    /**
     * Not one transaction: the exec is placed (or refused, and that recorded) by {@link ExecStarter}, a workflow run
     * by {@link WorkflowRuns}, each committing before its commands start; the launch's audit event follows.
     */
    public Launched launch(StartLaunchRequest request, String user, IdempotencyKey key) {
        if (key != null) {
            // A repeat answered before the worktree, context and credentials are prepared again.
            Optional<Launched> earlier = requestKeys.earlier(user, key).map(this::launched);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        String execId = UUID.randomUUID().toString();
        Planned planned;
        try {
            planned = plan(request, user, execId, key);
        } catch (DomainException refused) {
            // Every refused launch is on the record, with or without a (known) CRQ: ExecStarter says where.
            starter.refuse(
                    new NewExec(
                            execId,
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
                    refused.getMessage());
            throw refused;
        }
        if (planned.run() != null) {
            return new Launched(null, planned.run().run(), planned.run().repeat());
        }
        ExecOrder order = planned.order();
        // From here ExecStarter records a refusal (the host policy, a busy pane) itself.
        ExecStarter.Started started = starter.start(order, key);
        if (started.repeat()) {
            return new Launched(started.exec(), null, true);
        }
        QuarkusTransaction.requiringNew()
                .run(() -> audit(
                        order.execId(),
                        null,
                        planned.target(),
                        order.cwd(),
                        order.session(),
                        order.pane(),
                        redactor.mask(order.command()),
                        user,
                        order.env(),
                        order.launch().secretEnv().keySet(),
                        planned.mcpServer()));
        return new Launched(started.exec(), null, false);
    }

    /** The exec or workflow run an earlier launch made. */
    private Launched launched(String execOrRunId) {
        return execs.byId(execOrRunId)
                .map(exec -> new Launched(exec, null, true))
                .orElseGet(() -> new Launched(null, workflows.get(execOrRunId), true));
    }

    /**
     * A launch resolved: the tool's order and where it works, or the run a workflow profile started; the MCP server
     * the tool was given (null: none).
     */
    private record Planned(ExecOrder order, LaunchPlanner.Target target, WorkflowRuns.Started run, String mcpServer) {}

    /** The tool's order, or the workflow run a workflow profile started; a refusal throws. */
    private Planned plan(StartLaunchRequest request, String user, String execId, IdempotencyKey key) {
        String name = request.profile();
        String crqId = LaunchPlanner.crqId(request);
        Optional<String> refused = refusal(name);
        if (refused.isPresent()) {
            throw new NotPermittedException(refused.get());
        }
        LaunchPlanner.Target target = planner.target(request, crqId);
        LaunchProfile profile = target.profile();
        checkMcpToken(name, profile, request.mcpToken());
        Path cwd = Boolean.FALSE.equals(profile.worktree())
                ? target.repository()
                : worktrees.checkout(target.project(), target.repository(), crqId, target.branch());
        LaunchPlanner.Plan plan = planner.plan(target, request, cwd);
        if (plan.contextFile() != null) {
            writeContext(cwd, plan.contextFile(), target.crq(), target.branch(), target.project());
        }
        if (profile.workflow() != null) {
            return new Planned(null, target, runWorkflow(request, user, plan, key), null);
        }

        LaunchPlanner.Tool tool = planner.tool(plan, request);
        Map<String, String> secrets = credentials(name, profile, tool.env());
        String mcpServer = giveMcpServer(profile, request.mcpToken(), cwd, tool.env());
        ExecOrder order = ExecOrder.validate(
                        execId,
                        config.host(),
                        tool.session(),
                        tool.pane(),
                        tool.commandLine(),
                        crqId,
                        target.branch(),
                        cwd.toString(),
                        user,
                        config.defaultCwd())
                .forLaunch(
                        tool.env(),
                        new ExecOrder.Launch(
                                name,
                                plan.logs(),
                                plan.recordings(),
                                secrets,
                                profile.allowedEnv() == null ? Set.of() : Set.copyOf(profile.allowedEnv())))
                .withAudit(auditPlan.select(tool.audit(), tool.auditPaths()));
        return new Planned(order, target, null, mcpServer);
    }

    /**
     * A workflow profile: its file (relative to the worktree) run there for the CRQ, each step a managed exec. The
     * steps get the workflow's own environment (so the launch's audit event names no variables); a workflow
     * profile's credentials are refused rather than dropped.
     */
    private WorkflowRuns.Started runWorkflow(
            StartLaunchRequest request, String user, LaunchPlanner.Plan plan, IdempotencyKey key) {
        LaunchPlanner.Target target = plan.target();
        LaunchProfile profile = target.profile();
        if (profile.credentials() != null && !profile.credentials().isEmpty()) {
            throw new InvalidRequestException(
                    "launch profile " + target.name() + " runs a workflow: its steps cannot " + "take credentials ("
                            + String.join(", ", profile.credentials().keySet()) + ")");
        }
        Path file = LaunchPlanner.workflowFile(plan);
        WorkflowRuns.Started started = workflows.start(
                new StartWorkflowRequest(
                        target.crqId(),
                        null,
                        file.toString(),
                        null,
                        request.session(),
                        plan.cwd().toString(),
                        null,
                        null,
                        null),
                user,
                key);
        if (started.repeat()) {
            return started;
        }
        WorkflowView run = started.run();
        QuarkusTransaction.requiringNew()
                .run(() -> audit(
                        null,
                        run.runId(),
                        target,
                        plan.cwd(),
                        run.session(),
                        null,
                        null,
                        user,
                        Map.of(),
                        Set.of(),
                        null));
        return started;
    }

    /** A token for a profile that gives its tool no MCP server, or one that is no bearer token, refuses the launch. */
    private void checkMcpToken(String name, LaunchProfile profile, String token) {
        if (token == null) {
            return;
        }
        if (profile.mcp() == null) {
            throw new InvalidRequestException("launch profile " + name + " gives its tool no MCP server (it sets no"
                    + " mcp): the launch's mcpToken would not be used");
        }
        if (!MCP_TOKEN.matcher(token).matches()) {
            throw new InvalidRequestException(
                    "mcpToken must be a bearer token (1 to 512 of letters, digits and -._~+/=)");
        }
        if (config.mcpUrl().isEmpty()) {
            throw new InvalidRequestException(config.host() + " knows no MCP server to give the tool"
                    + " (gitcrq.exec.mcp-url is not set): launch without a token (gitcrq launch --no-mcp)");
        }
    }

    /**
     * A profile with {@code mcp}: with a token, gitcrq's MCP server is registered for the tool in the worktree (the
     * token masked from now on) and its URL returned; without, an entry an earlier launch left is taken out.
     */
    private String giveMcpServer(LaunchProfile profile, String token, Path worktree, Map<String, String> toolEnv) {
        if (profile.mcp() == null) {
            return null;
        }
        if (token == null) {
            geminiMcp.unregister(worktree);
            return null;
        }
        URI server = config.mcpUrl().orElseThrow();
        redactor.register(token);
        geminiMcp.register(
                worktree,
                server,
                token,
                GeminiMcpSettings.trustedFoldersFile(toolEnv, environment, Path.of(System.getProperty("user.home"))));
        return server.toString();
    }

    private Optional<String> refusal(String profile) {
        List<String> allowed = config.allowedProfiles().orElse(null);
        if (allowed == null || allowed.contains(profile)) {
            return Optional.empty();
        }
        return Optional.of("launch profile " + profile + " is not allowed on " + config.host() + " (allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + ")");
    }

    /** The credentials' values by variable; each is masked from now on. A required one without a value refuses. */
    private Map<String, String> credentials(String name, LaunchProfile profile, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        if (profile.credentials() == null) {
            return values;
        }
        for (Map.Entry<String, CredentialReference> credential :
                profile.credentials().entrySet()) {
            String variable = credential.getKey();
            CredentialReference reference = credential.getValue();
            if (env.containsKey(variable)) {
                throw new InvalidRequestException(variable + " is a credential of launch profile " + name
                        + " and cannot also be set as a plain variable");
            }
            Optional<String> value;
            try {
                value = reference.resolve(environment);
            } catch (IOException e) {
                throw new InvalidRequestException("credential " + variable + " of launch profile " + name
                        + " cannot be read from " + reference.describe() + ": " + e.getMessage());
            }
            if (value.isEmpty()) {
                if (reference.isOptional()) {
                    continue;
                }
                throw new InvalidRequestException("credential " + variable + " of launch profile " + name
                        + " has no value on " + config.host() + " (" + reference.describe() + ")");
            }
            redactor.register(value.get());
            values.put(variable, value.get());
        }
        return values;
    }

    /** The CRQ as the tool's context, in a file of the worktree that git never sees. */
    private void writeContext(Path cwd, String fileName, CrqView crq, String branch, String project) {
        Path file = cwd.resolve(fileName).normalize();
        if (!file.startsWith(cwd) || file.equals(cwd) || !file.getParent().equals(cwd)) {
            throw new InvalidRequestException(
                    "context-file must be a file name in the worktree, not '" + fileName + "'");
        }
        String text = "# " + crq.crqId + ": " + crq.title + "\n\n"
                + (crq.description == null || crq.description.isBlank() ? "(no description)" : crq.description.strip())
                + "\n\n## Working on it\n\n"
                + "- Project " + project + ", branch `" + branch + "`, checked out here for " + crq.crqId + " alone.\n"
                + "- Every commit message names " + crq.crqId + "; the change is merged once the CRQ is approved"
                + " (by someone other than its requester" + (crq.requester == null ? "" : ", " + crq.requester) + ").\n"
                + "- Status when this session started: " + crq.status + ".\n";
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the CRQ's context to " + file + ": " + e.getMessage(), e);
        }
        worktrees.exclude(cwd, fileName);
    }

    private void audit(
            String execId,
            String workflowRunId,
            LaunchPlanner.Target target,
            Path cwd,
            String session,
            String pane,
            String command,
            String user,
            Map<String, String> env,
            Set<String> credentialVariables,
            String mcpServer) {
        LaunchProfile profile = target.profile();
        Map<String, String> variables = new LinkedHashMap<>();
        env.forEach((k, v) -> variables.put(k, redactor.mask(v)));
        Map<String, String> credentials = new LinkedHashMap<>();
        credentialVariables.forEach(
                v -> credentials.put(v, profile.credentials().get(v).describe()));
        outbox.publish(AuditEvents.captured(
                config.host(),
                target.crqId(),
                SqlTimes.now(),
                new Launch(
                        execId,
                        workflowRunId,
                        target.name(),
                        profile.tool(),
                        command,
                        profile.workflow(),
                        target.project(),
                        target.branch(),
                        cwd.toString(),
                        session,
                        pane,
                        user,
                        variables,
                        credentials,
                        mcpServer)));
    }
}
