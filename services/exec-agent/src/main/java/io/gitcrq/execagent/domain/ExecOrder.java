package io.gitcrq.execagent.domain;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.policy.CrqId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request to run a command that passed every check, whether it came by REST, by Kafka or as a workflow step:
 * the one place where the rules on names, command and working directory live.
 *
 * @param env      variables set for the command on top of the pane's environment (empty for a plain exec)
 * @param timeout  how long the command may run before its processes are killed (null: no limit)
 * @param workflow the workflow step this exec runs (null for a plain exec)
 * @param launch   the launch profile this exec runs (null for a plain exec or a workflow step)
 * @param audit    the audit sources started around the command (null: the host's defaults)
 * @param keepPane whether the command's tmux window stays open (a shell in it) once the command ended; by default it
 *                 is closed as soon as the end is recorded
 */
public record ExecOrder(
        String execId,
        String host,
        String session,
        String pane,
        String command,
        String crqId,
        String branch,
        Path cwd,
        String requestedBy,
        Map<String, String> env,
        Duration timeout,
        WorkflowStep workflow,
        Launch launch,
        AuditSelection audit,
        boolean keepPane) {

    /** The workflow run and the step ({@code <job> / <step>}) an exec was started for. */
    public record WorkflowStep(String runId, String step) {}

    /**
     * What a launch profile adds to an exec: where its files and its recording go (null: the agent's own
     * directories), and its credentials, which enter the command's environment only — never a script, a row or an
     * event (see {@code ManagedCommand}); {@code allowedEnv}, the variables that change what runs which the profile
     * lets it set nonetheless ({@link LaunchEnvironment}).
     */
    public record Launch(
            String profile, Path logDir, Path recordingsDir, Map<String, String> secretEnv, Set<String> allowedEnv) {
        public Launch {
            secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
            allowedEnv = allowedEnv == null ? Set.of() : Set.copyOf(allowedEnv);
        }

        /** Never the credentials' values: an order may end up in a log line. */
        @Override
        public String toString() {
            return "Launch[profile=" + profile + ", logDir=" + logDir + ", recordingsDir=" + recordingsDir
                    + ", credentials=" + secretEnv.keySet() + "]";
        }
    }

    /** Where this exec's files go: the launch's log directory, else the agent's. */
    public Path logDirectory(Path agentLogDirectory) {
        return launch != null && launch.logDir() != null ? launch.logDir() : agentLogDirectory;
    }

    public static final int MAX_COMMAND = 8000;

    /** An exec id names files in the log directory: no dots, so never {@code ..}, and no slashes. */
    private static final Pattern EXEC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** tmux silently turns '.' (and ':') in a session name into '_', which would merge two sessions: refused. */
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final Pattern PANE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    public ExecOrder {
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    public static boolean isValidExecId(String execId) {
        return execId != null && EXEC_ID.matcher(execId).matches();
    }

    public static boolean isValidSession(String session) {
        return session != null && SESSION.matcher(session).matches();
    }

    /**
     * This order, run as a workflow step: with these variables (names must not be empty nor hold '=' or NUL, values
     * no NUL) and killed past {@code timeout}.
     */
    public ExecOrder forWorkflowStep(Map<String, String> variables, Duration limit, String runId, String step) {
        List<String> problems = new ArrayList<>();
        checkEnvironment(variables, problems);
        if (limit != null && (limit.isNegative() || limit.isZero())) {
            problems.add("timeout must be positive, not " + limit);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return copy(cwd, variables, limit, new WorkflowStep(runId, step), null, audit, keepPane);
    }

    /** This order, run in {@code directory} (an existing absolute directory: the CRQ's worktree, the default). */
    public ExecOrder in(Path directory) {
        return copy(directory, env, timeout, workflow, launch, audit, keepPane);
    }

    /** This order, with its window kept open (or not) once the command ended. */
    public ExecOrder keepingPane(boolean keep) {
        return copy(cwd, env, timeout, workflow, launch, audit, keep);
    }

    /** This order, with these audit sources started around its command. */
    public ExecOrder withAudit(AuditSelection sources) {
        return copy(cwd, env, timeout, workflow, launch, sources, keepPane);
    }

    /** This order with what may change after its checks; who asked for what, where, stays. */
    private ExecOrder copy(
            Path cwd,
            Map<String, String> env,
            Duration timeout,
            WorkflowStep workflow,
            Launch launch,
            AuditSelection audit,
            boolean keepPane) {
        return new ExecOrder(
                execId,
                host,
                session,
                pane,
                command,
                crqId,
                branch,
                cwd,
                requestedBy,
                env,
                timeout,
                workflow,
                launch,
                audit,
                keepPane);
    }

    /**
     * Checks a request and gives the order to run it; every problem found is named in one 400 problem.
     * {@code cwd} may be empty: the command then runs in {@code defaultCwd}, or, when that is null too, in a directory
     * decided later ({@link #cwd} null until {@link #in}: a plain exec runs in its CRQ's worktree).
     */
    public static ExecOrder validate(
            String execId,
            String host,
            String session,
            String pane,
            String command,
            String crqId,
            String branch,
            String cwd,
            String requestedBy,
            String defaultCwd) {
        List<String> problems = new ArrayList<>();
        if (!isValidExecId(execId)) {
            problems.add("execId must match " + EXEC_ID.pattern());
        }
        if (session == null || !SESSION.matcher(session).matches()) {
            problems.add("session must match " + SESSION.pattern() + " (tmux does not keep '.' in session names)");
        }
        if (pane == null || !PANE.matcher(pane).matches()) {
            problems.add("pane must match " + PANE.pattern());
        }
        if (command == null || command.isBlank()) {
            problems.add("command is required");
        } else if (command.length() > MAX_COMMAND) {
            problems.add("command is longer than " + MAX_COMMAND + " characters");
        } else if (command.indexOf('\0') >= 0) {
            problems.add("command must not contain NUL characters");
        }
        if (crqId == null || crqId.isBlank()) {
            problems.add("crqId is required");
        } else if (!CrqId.isValid(crqId)) {
            problems.add("crqId must be a CRQ id like CRQ-12, not '" + crqId + "'");
        }
        if (branch != null && !BRANCH.matcher(branch).matches()) {
            problems.add("branch must match " + BRANCH.pattern());
        }
        boolean named = cwd != null && !cwd.isBlank();
        Path directory = named || defaultCwd != null ? workingDirectory(named ? cwd : defaultCwd, problems) : null;
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return new ExecOrder(
                execId,
                host,
                session,
                pane,
                command,
                CrqId.parse(crqId).toString(),
                branch,
                directory,
                requestedBy,
                Map.of(),
                null,
                null,
                null,
                null,
                false);
    }

    /**
     * This order, run for a launch profile: with the profile's environment (checked as a workflow step's is), its
     * credentials and its directories.
     */
    public ExecOrder forLaunch(Map<String, String> variables, Launch with) {
        List<String> problems = new ArrayList<>();
        checkEnvironment(variables, problems);
        checkEnvironment(with.secretEnv(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return copy(cwd, variables, timeout, workflow, with, audit, keepPane);
    }

    /** Names must not be empty nor hold '=' or NUL, values no NUL: what {@code env NAME=VALUE} can carry. */
    private static void checkEnvironment(Map<String, String> variables, List<String> problems) {
        variables.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                problems.add("environment variable name '" + name + "' is not allowed");
            } else if (value == null || value.indexOf('\0') >= 0) {
                problems.add("environment variable " + name + " must have a value without NUL characters");
            }
        });
    }

    private static Path workingDirectory(String cwd, List<String> problems) {
        Path path;
        try {
            path = Path.of(cwd);
        } catch (RuntimeException e) {
            problems.add("cwd is not a path: " + cwd);
            return null;
        }
        if (!path.isAbsolute()) {
            problems.add("cwd must be an absolute path, not '" + cwd + "'");
            return null;
        }
        if (!Files.isDirectory(path)) {
            problems.add("cwd " + cwd + " is not an existing directory");
            return null;
        }
        return path.normalize();
    }
}
