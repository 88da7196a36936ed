package io.gitcrq.execagent.launch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.execagent.audit.AuditPlan;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.CrqViewRepository;
import io.gitcrq.execagent.repository.ExecRepository.NewExec;
import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.execagent.workflow.WorkflowRuns;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
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
import java.util.stream.Collectors;

/**
 * Runs a launch profile for a CRQ: resolves the profile and the parameters given with the launch, checks out the
 * CRQ's branch in its worktree, writes the CRQ's context there, resolves the credentials (masked from then on,
 * everywhere this agent writes) and starts the tool in its tmux pane as a managed exec — recorded, audited, its
 * exit code known like any exec's. The launch itself is audited ({@value #KIND_LAUNCH}): profile, tool, project,
 * branch, worktree, the names of the variables set and where each credential came from, never a value. The
 * profile (or the launch) chooses the audit sources started around the tool, as a plain exec does.
 */
@ApplicationScoped
public class Launcher {

    public static final String KIND_LAUNCH = "launch";

    private final LaunchProfiles profiles;
    private final Worktrees worktrees;
    private final CrqViewRepository crqs;
    private final ExecStarter starter;
    private final ExecAgentConfig config;
    private final Redactor redactor;
    private final Outbox outbox;
    private final AuditPlan auditPlan;
    private final WorkflowRuns workflows;
    private final UnaryOperator<String> environment = System::getenv;

    public Launcher(
            LaunchProfiles profiles,
            Worktrees worktrees,
            CrqViewRepository crqs,
            ExecStarter starter,
            ExecAgentConfig config,
            Redactor redactor,
            Outbox outbox,
            AuditPlan auditPlan,
            WorkflowRuns workflows) {
        this.profiles = profiles;
        this.worktrees = worktrees;
        this.crqs = crqs;
        this.starter = starter;
        this.config = config;
        this.redactor = redactor;
        this.outbox = outbox;
        this.auditPlan = auditPlan;
        this.workflows = workflows;
    }

    /** What a launch started: the tool's exec, or the profile's workflow run. */
    public record Launched(ManagedExec exec, WorkflowView run) {}

    /**
     * Not one transaction: the exec is placed (or refused, and that recorded) by {@link ExecStarter}, a workflow run
     * by {@link WorkflowRuns}, each committing before its commands start; the launch's audit event follows.
     */
    public Launched launch(StartLaunchRequest request, String user) {
        String execId = UUID.randomUUID().toString();
        String name = request.profile();
        LaunchProfiles.checkName(name);
        if (request.crqId() == null || !CrqId.isValid(request.crqId())) {
            throw new InvalidRequestException("crqId must be a CRQ id like CRQ-12, not '" + request.crqId() + "'");
        }
        String crqId = CrqId.parse(request.crqId()).toString();
        Optional<String> refused = refusal(name);
        if (refused.isPresent()) {
            starter.refuse(
                    new NewExec(
                            execId,
                            config.host(),
                            request.session(),
                            request.pane(),
                            "launch " + name,
                            crqId,
                            request.branch(),
                            null,
                            user,
                            null,
                            SqlTimes.now()),
                    refused.get());
            throw new NotPermittedException(refused.get());
        }
        LaunchProfile profile = profiles.resolve(name);
        CrqView crq = QuarkusTransaction.joiningExisting()
                .call(() -> crqs.byId(crqId))
                .orElseThrow(() -> new EntityNotFoundException(crqId + " is not known on " + config.host()
                        + " (no CrqCreated seen for it): create the CRQ first"));

        String projectName = firstOf(request.project(), profile.project(), crq.repo);
        if (projectName == null) {
            throw new InvalidRequestException(
                    "no project: name one (the profile, the launch and " + crqId + " name none)");
        }
        Path repository = repository(projectName);
        String project =
                Path.of(projectName).isAbsolute() ? repository.getFileName().toString() : projectName;
        String branch = branch(firstOf(request.branch(), profile.branch()), profile, crq);
        Path cwd = Boolean.FALSE.equals(profile.worktree())
                ? repository
                : worktrees.checkout(project, repository, crqId, branch);

        LaunchParameters parameters = new LaunchParameters()
                .put("profile", name)
                .put("crq", crqId)
                .put("crq.title", crq.title)
                .put("project", project)
                .put("branch", branch)
                .put("worktree", cwd.toString())
                .put("home", System.getProperty("user.home"));
        Path recordings = directory(firstOf(request.recordings(), profile.recordings()), "recordings", parameters);
        Path logs = directory(firstOf(request.logs(), profile.logs()), "logs", parameters);
        if (profile.contextFile() != null) {
            writeContext(cwd, parameters.expand(profile.contextFile(), "context-file"), crq, branch, project);
        }
        if (profile.workflow() != null) {
            return new Launched(
                    null, runWorkflow(request, user, name, profile, parameters, cwd, crqId, project, branch));
        }

        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITCRQ_PROFILE", name);
        env.put("GITCRQ_CRQ", crqId);
        env.put("GITCRQ_CRQ_TITLE", crq.title);
        env.put("GITCRQ_PROJECT", project);
        env.put("GITCRQ_BRANCH", branch);
        env.put("GITCRQ_WORKTREE", cwd.toString());
        env.put("GITCRQ_RECORDINGS_DIR", (recordings == null ? config.recordingsDirectory() : recordings).toString());
        env.put("GITCRQ_LOG_DIR", (logs == null ? config.logDirectory() : logs).toString());
        if (profile.env() != null) {
            profile.env().forEach((k, v) -> env.put(k, parameters.expand(v, "env " + k)));
        }
        if (request.env() != null) {
            env.putAll(request.env());
        }
        Map<String, String> secrets = credentials(name, profile, env);

        List<String> args = request.args() != null
                ? request.args()
                : profile.args() == null
                        ? List.of()
                        : profile.args().stream()
                                .map(a -> parameters.expand(a, "args"))
                                .toList();
        String commandLine = ManagedCommand.quote(profile.command())
                + args.stream().map(ManagedCommand::quote).map(a -> " " + a).collect(Collectors.joining());
        String session = firstOf(request.session(), profile.session(), crqId);
        String pane = firstOf(request.pane(), profile.pane(), profile.tool(), name);

        List<String> auditPaths = profile.auditPaths() == null
                ? null
                : profile.auditPaths().stream()
                        .map(p -> parameters.expand(p, "audit-paths"))
                        .toList();
        ExecOrder order = ExecOrder.validate(
                        execId,
                        config.host(),
                        session,
                        pane,
                        commandLine,
                        crqId,
                        branch,
                        cwd.toString(),
                        user,
                        config.defaultCwd())
                .forLaunch(env, new ExecOrder.Launch(name, logs, recordings, secrets))
                .withAudit(auditPlan.select(firstOf(request.audit(), profile.audit()), auditPaths));
        ManagedExec exec = starter.start(order);
        QuarkusTransaction.requiringNew()
                .run(() -> audit(
                        order.execId(),
                        null,
                        name,
                        profile,
                        project,
                        branch,
                        cwd,
                        order.session(),
                        order.pane(),
                        redactor.mask(order.command()),
                        user,
                        crqId,
                        env,
                        secrets.keySet()));
        return new Launched(exec, null);
    }

    /**
     * A workflow profile: its file (relative to the worktree) run there for the CRQ, each step a managed exec. The
     * steps get the workflow's own environment (so the launch's audit event names no variables); a workflow
     * profile's credentials are refused rather than dropped.
     */
    private WorkflowView runWorkflow(
            StartLaunchRequest request,
            String user,
            String name,
            LaunchProfile profile,
            LaunchParameters parameters,
            Path cwd,
            String crqId,
            String project,
            String branch) {
        if (profile.credentials() != null && !profile.credentials().isEmpty()) {
            throw new InvalidRequestException("launch profile " + name + " runs a workflow: its steps cannot take "
                    + "credentials (" + String.join(", ", profile.credentials().keySet()) + ")");
        }
        Path file =
                cwd.resolve(parameters.expand(profile.workflow(), "workflow")).normalize();
        WorkflowView run = workflows.start(
                new StartWorkflowRequest(
                        crqId, null, file.toString(), null, request.session(), cwd.toString(), null, null, null),
                user);
        QuarkusTransaction.requiringNew()
                .run(() -> audit(
                        null,
                        run.runId(),
                        name,
                        profile,
                        project,
                        branch,
                        cwd,
                        run.session(),
                        null,
                        null,
                        user,
                        crqId,
                        Map.of(),
                        Set.of()));
        return run;
    }

    private Optional<String> refusal(String profile) {
        List<String> allowed = config.allowedProfiles().orElse(null);
        if (allowed == null || allowed.contains(profile)) {
            return Optional.empty();
        }
        return Optional.of("launch profile " + profile + " is not allowed on " + config.host() + " (allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + ")");
    }

    private Path repository(String project) {
        if (Path.of(project).isAbsolute()) {
            return Path.of(project).normalize();
        }
        String path = config.projects().get(project);
        if (path == null) {
            throw new InvalidRequestException("project " + project + " is not known on " + config.host()
                    + " (set gitcrq.exec.projects." + project + " to its repository, or name the repository's path)");
        }
        return Path.of(path);
    }

    /** The branch given, else one named after the CRQ's title; it must follow the naming rule and name this CRQ. */
    private static String branch(String given, LaunchProfile profile, CrqView crq) {
        String branch = given;
        if (branch == null) {
            try {
                branch = BranchNamePolicy.nameFor(
                        firstOf(profile.branchType(), "feature"), CrqId.parse(crq.crqId), crq.title);
            } catch (IllegalArgumentException noSlug) {
                throw new InvalidRequestException(
                        "name a branch: " + crq.crqId + "'s title makes no branch name (" + noSlug.getMessage() + ")");
            }
        }
        BranchNameVerdict verdict = BranchNamePolicy.defaults().evaluate(branch);
        if (!verdict.valid() || verdict.exempt()) {
            throw new InvalidRequestException(
                    verdict.exempt() ? "a launch works on its CRQ's own branch, not on " + branch : verdict.problem());
        }
        if (!crq.crqId.equals(verdict.crqId())) {
            throw new InvalidRequestException(
                    "branch " + branch + " belongs to " + verdict.crqId() + ", not " + crq.crqId);
        }
        return branch;
    }

    private static Path directory(String value, String what, LaunchParameters parameters) {
        if (value == null) {
            return null;
        }
        Path path = Path.of(parameters.expand(value, what));
        if (!path.isAbsolute()) {
            throw new InvalidRequestException(what + " must be an absolute directory, not '" + path + "'");
        }
        return path.normalize();
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
            String name,
            LaunchProfile profile,
            String project,
            String branch,
            Path cwd,
            String session,
            String pane,
            String command,
            String user,
            String crqId,
            Map<String, String> env,
            Set<String> credentialVariables) {
        ObjectNode payload = EventCodec.mapper()
                .createObjectNode()
                .put("execId", execId)
                .put("workflowRunId", workflowRunId)
                .put("profile", name)
                .put("tool", profile.tool())
                .put("command", command)
                .put("workflow", profile.workflow())
                .put("project", project)
                .put("branch", branch)
                .put("worktree", cwd.toString())
                .put("session", session)
                .put("pane", pane)
                .put("requestedBy", user);
        ObjectNode variables = payload.putObject("env");
        env.forEach((k, v) -> variables.put(k, redactor.mask(v)));
        ObjectNode credentials = payload.putObject("credentials");
        credentialVariables.forEach(
                v -> credentials.put(v, profile.credentials().get(v).describe()));
        outbox.publish(new AuditCaptured(config.host(), crqId, KIND_LAUNCH, SqlTimes.now(), payload));
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
