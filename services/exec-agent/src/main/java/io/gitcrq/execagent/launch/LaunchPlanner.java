package io.gitcrq.execagent.launch;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.domain.Programs;
import io.gitcrq.execagent.repository.WatchedRepoRepository;
import io.gitcrq.execagent.service.CrqGate;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves a launch into what it does, starting and writing nothing: the profile with the parameters given with the
 * launch, the CRQ, its project and branch ({@link #target}); once the worktree is known, the parameters and
 * directories ({@link #plan}); for a tool, its command line, environment, pane and audit sources ({@link #tool}).
 * The parameters given with the launch win over the profile's.
 */
@ApplicationScoped
public class LaunchPlanner {

    private final LaunchProfiles profiles;
    private final CrqGate crqs;
    private final ExecAgentConfig config;
    private final WatchedRepoRepository watchedRepos;

    public LaunchPlanner(
            LaunchProfiles profiles, CrqGate crqs, ExecAgentConfig config, WatchedRepoRepository watchedRepos) {
        this.profiles = profiles;
        this.crqs = crqs;
        this.config = config;
        this.watchedRepos = watchedRepos;
    }

    /** Where a launch works, decided before its worktree exists. */
    public record Target(
            String name, LaunchProfile profile, CrqView crq, String project, Path repository, String branch) {
        public String crqId() {
            return crq.crqId;
        }
    }

    /** A launch once its worktree ({@code cwd}) is known: its parameters and where its files go (null: the agent's). */
    public record Plan(
            Target target, Path cwd, LaunchParameters parameters, Path recordings, Path logs, String contextFile) {}

    /** A tool's exec: its command line, environment (credentials apart), pane and audit sources. */
    public record Tool(
            String commandLine,
            Map<String, String> env,
            String session,
            String pane,
            List<String> audit,
            List<String> auditPaths) {}

    /** The CRQ a launch names, checked with the profile's name; 400 if either is malformed. */
    public static String crqId(StartLaunchRequest request) {
        LaunchProfiles.checkName(request.profile());
        if (request.crqId() == null || !CrqId.isValid(request.crqId())) {
            throw new InvalidRequestException("crqId must be a CRQ id like CRQ-12, not '" + request.crqId() + "'");
        }
        return CrqId.parse(request.crqId()).toString();
    }

    /**
     * The profile, the CRQ (known here from its CrqCreated, and open: {@link CrqGate}), the project's repository and
     * the branch.
     */
    public Target target(StartLaunchRequest request, String crqId) {
        String name = request.profile();
        LaunchProfile profile = profiles.resolve(name);
        CrqView crq = crqs.admit(crqId);
        String projectName = firstOf(request.project(), profile.project(), crq.repo);
        if (projectName == null) {
            throw new InvalidRequestException(
                    "no project: name one (the profile, the launch and " + crqId + " name none)");
        }
        Path repository = repository(projectName);
        String project = projectName(projectName, repository);
        String branch = branch(firstOf(request.branch(), profile.branch()), profile.branchType(), crq);
        return new Target(name, profile, crq, project, repository, branch);
    }

    /** The launch's parameters once it works in {@code cwd}, and the directories and context file they name. */
    public Plan plan(Target target, StartLaunchRequest request, Path cwd) {
        LaunchProfile profile = target.profile();
        LaunchParameters parameters = new LaunchParameters()
                .put("profile", target.name())
                .put("crq", target.crqId())
                .put("crq.title", target.crq().title)
                .put("project", target.project())
                .put("branch", target.branch())
                .put("worktree", cwd.toString())
                .put("home", System.getProperty("user.home"));
        Path recordings = directory(firstOf(request.recordings(), profile.recordings()), "recordings", parameters);
        Path logs = directory(firstOf(request.logs(), profile.logs()), "logs", parameters);
        String contextFile =
                profile.contextFile() == null ? null : parameters.expand(profile.contextFile(), "context-file");
        return new Plan(target, cwd, parameters, recordings, logs, contextFile);
    }

    /** The workflow file a workflow profile runs, in the worktree. */
    public static Path workflowFile(Plan plan) {
        return plan.cwd()
                .resolve(plan.parameters().expand(plan.target().profile().workflow(), "workflow"))
                .normalize();
    }

    /**
     * A tool's exec: the variables every launch sets, the profile's (parameters expanded), the launch's; the
     * launch's arguments, else the profile's; the launch's pane, else the profile's, else one named after the tool.
     */
    public Tool tool(Plan plan, StartLaunchRequest request) {
        Target target = plan.target();
        LaunchProfile profile = target.profile();
        LaunchParameters parameters = plan.parameters();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITCRQ_PROFILE", target.name());
        env.put("GITCRQ_CRQ", target.crqId());
        env.put("GITCRQ_CRQ_TITLE", target.crq().title);
        env.put("GITCRQ_PROJECT", target.project());
        env.put("GITCRQ_BRANCH", target.branch());
        env.put("GITCRQ_WORKTREE", plan.cwd().toString());
        env.put(
                "GITCRQ_RECORDINGS_DIR",
                (plan.recordings() == null ? config.recordingsDirectory() : plan.recordings()).toString());
        env.put("GITCRQ_LOG_DIR", (plan.logs() == null ? config.logDirectory() : plan.logs()).toString());
        if (profile.env() != null) {
            profile.env().forEach((k, v) -> env.put(k, parameters.expand(v, "env " + k)));
        }
        if (request.env() != null) {
            env.putAll(request.env());
        }
        List<String> args = request.args() != null
                ? request.args()
                : profile.args() == null ? List.of() : arguments(profile.command(), profile.args(), parameters);
        String commandLine = commandLine(profile.command(), args);
        String session = firstOf(request.session(), profile.session(), target.crqId());
        String pane = firstOf(request.pane(), profile.pane(), profile.tool(), target.name());
        List<String> auditPaths = profile.auditPaths() == null
                ? null
                : profile.auditPaths().stream()
                        .map(p -> parameters.expand(p, "audit-paths"))
                        .toList();
        return new Tool(commandLine, env, session, pane, firstOf(request.audit(), profile.audit()), auditPaths);
    }

    /** The program and its arguments as one command line of quoted words, which the host policy reads back as such. */
    static String commandLine(String command, List<String> args) {
        return ManagedCommand.quote(command)
                + args.stream().map(ManagedCommand::quote).map(a -> " " + a).collect(Collectors.joining());
    }

    /**
     * The launch parameters' environment variables ({@link #tool}): in a shell's script a parameter stands as its
     * variable, so that its value (a CRQ's title, written by whoever wrote the CRQ) is data, never script text.
     */
    static final Map<String, String> PARAMETER_VARIABLES = Map.of(
            "profile", "GITCRQ_PROFILE",
            "crq", "GITCRQ_CRQ",
            "crq.title", "GITCRQ_CRQ_TITLE",
            "project", "GITCRQ_PROJECT",
            "branch", "GITCRQ_BRANCH",
            "worktree", "GITCRQ_WORKTREE",
            "home", "HOME");

    /**
     * A profile's arguments with the parameters filled in, each argument a word of its own (never read by a shell as a
     * line). Where the program would read an argument as code, a parameter is never pasted into it: a shell's script
     * (the operand after {@code -c}) refers to the parameter's environment variable instead; any other interpreter
     * ({@code python}, {@code perl}…) may not take parameters in its arguments at all.
     */
    static List<String> arguments(String command, List<String> args, LaunchParameters parameters) {
        if (command != null && Programs.isShell(command)) {
            int script = shellScriptIndex(args);
            List<String> expanded = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                expanded.add(
                        i == script
                                ? parameters.expandAsScript(args.get(i), "args", PARAMETER_VARIABLES)
                                : parameters.expand(args.get(i), "args"));
            }
            return expanded;
        }
        if (command != null && Programs.runsScripts(command)) {
            for (String arg : args) {
                if (!parameters.expand(arg, "args").equals(arg.replace("$$", "$"))) {
                    throw new InvalidRequestException("launch profile args pass a parameter to " + command
                            + ", which could read it as code: use its environment variable instead "
                            + PARAMETER_VARIABLES.values().stream().sorted().toList());
                }
            }
        }
        return args.stream().map(a -> parameters.expand(a, "args")).toList();
    }

    /** The index of a POSIX shell's script operand (its first operand when {@code -c} is among its options), or -1. */
    private static int shellScriptIndex(List<String> args) {
        boolean command = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--") || arg.equals("-")) {
                return command && i + 1 < args.size() ? i + 1 : -1;
            }
            if (arg.startsWith("--")) {
                if (arg.equals("--rcfile") || arg.equals("--init-file")) {
                    i++;
                }
                continue;
            }
            if ((arg.startsWith("-") || arg.startsWith("+")) && arg.length() > 1) {
                if (arg.startsWith("-") && arg.indexOf('c') > 0) {
                    command = true;
                }
                if (arg.endsWith("o") || arg.endsWith("O")) {
                    i++;
                }
                continue;
            }
            return command ? i : -1;
        }
        return -1;
    }

    private Path repository(String project) {
        return knownRepository(project)
                .orElseThrow(() -> new InvalidRequestException("project " + project + " is not known on "
                        + config.host() + " (set gitcrq.exec.projects." + project
                        + " to its repository, name the repository's path, or watch it at a path of this host)"));
    }

    /**
     * The repository of {@code project} on this host: a name of {@code gitcrq.exec.projects}, a repository's absolute
     * path, or the name of a repository git-watcher watches at a directory of this host (the quickstart's: nothing to
     * configure); empty for a name this host does not know.
     */
    public Optional<Path> knownRepository(String project) {
        if (Path.of(project).isAbsolute()) {
            return Optional.of(Path.of(project).normalize());
        }
        String configured = config.projects().get(project);
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        return watchedRepos
                .location(project)
                .filter(location -> location.startsWith("/"))
                .map(location -> Path.of(location).normalize())
                .filter(Files::isDirectory);
    }

    /** How worktrees name a project: its name, or the directory name of a repository named by its path. */
    public static String projectName(String project, Path repository) {
        return Path.of(project).isAbsolute() ? repository.getFileName().toString() : project;
    }

    /**
     * The branch given, else one named after the CRQ's title ({@code branchType}, default feature); it must follow
     * the naming rule and name this CRQ.
     */
    public static String branch(String given, String branchType, CrqView crq) {
        String branch = given;
        if (branch == null) {
            try {
                branch = BranchNamePolicy.nameFor(firstOf(branchType, "feature"), CrqId.parse(crq.crqId), crq.title);
            } catch (IllegalArgumentException noSlug) {
                throw new InvalidRequestException(
                        "name a branch: " + crq.crqId + "'s title makes no branch name (" + noSlug.getMessage() + ")");
            }
        }
        BranchNameVerdict verdict = BranchNamePolicy.defaults().evaluate(branch);
        if (!verdict.valid() || verdict.exempt()) {
            throw new InvalidRequestException(
                    verdict.exempt()
                            ? "work for a CRQ is done on its own branch, not on " + branch
                            : verdict.problem());
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

    @SafeVarargs
    static <T> T firstOf(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
