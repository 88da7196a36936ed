package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.domain.LaunchEnvironment;
import io.gitcrq.execagent.domain.Programs;
import io.gitcrq.execagent.domain.ShellWords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What this host lets run at all, whoever asks, decided on what will actually run: the command is read into its
 * argument vector ({@link ShellWords}), and that vector is what runs ({@link Decision#argv}), never the line again.
 * <ul>
 *   <li>{@code gitcrq.exec.policy.allowed-commands}: regular expressions, one of which the program (the first word,
 *   as written: {@code mvn} is not {@code /tmp/mvn}) must match as a whole (unset: any program);</li>
 *   <li>{@code gitcrq.exec.policy.denied-commands}: regular expressions none of which may match the program as a
 *   whole, nor its file name ({@code rm} denies {@code /bin/rm}); behind a program that runs its arguments as a
 *   program ({@code env}, {@code sudo}, {@code nohup}, {@code timeout}…) every word is checked so;</li>
 *   <li>{@code gitcrq.exec.policy.allowed-shells}: the programs that may run a script — a shell, or an interpreter
 *   such as {@code python} — named exactly as run ({@code bash} or {@code /bin/bash}). A shell line (a command with
 *   {@code ;}, {@code |}, {@code $(…)}, a glob…) runs only as {@code bash -c LINE}, where bash is an allowed shell;
 *   the decision is then on bash, which may run anything. A workflow step's program ({@code shell:}) must be an
 *   allowed shell.</li>
 * </ul>
 * {@code gitcrq.exec.policy.allowed-dirs}, where set, names the directories commands may run in (the agent's own
 * places always among them: a plain exec naming no directory runs in its CRQ's worktree). A host with none of the
 * three set lets any command run (a shell line through {@code bash -c}). A bad regular
 * expression stops the agent at start rather than letting everything through.
 */
@ApplicationScoped
public class HostPolicy {

    /** The program a shell line runs with, unless allowed-shells names it by a path. */
    static final String SHELL = "bash";

    /** Programs that run their arguments as a program: behind them every word is held against the deny list. */
    private static final Set<String> WRAPPERS = Set.of(
            "env",
            "sudo",
            "doas",
            "su",
            "runuser",
            "nohup",
            "nice",
            "ionice",
            "timeout",
            "stdbuf",
            "setsid",
            "chrt",
            "taskset",
            "xargs",
            "flock",
            "chroot",
            "unbuffer",
            "strace",
            "ltrace",
            "watch",
            "nsenter",
            "unshare",
            "systemd-run",
            "time",
            "parallel",
            "script");

    private final List<Pattern> allowed;
    private final List<Pattern> denied;
    private final List<String> shells;
    /** Where commands may run (real paths); null: anywhere. */
    private final List<Path> directories;

    /**
     * What the policy decided: the argument vector to run, or why nothing runs.
     *
     * @param argv    what runs, exactly (empty when refused)
     * @param refusal why the command may not run on this host (null: it may)
     */
    public record Decision(List<String> argv, String refusal) {
        public Decision {
            argv = List.copyOf(argv);
        }

        public boolean refused() {
            return refusal != null;
        }

        static Decision run(List<String> argv) {
            return new Decision(argv, null);
        }

        static Decision refuse(String reason) {
            return new Decision(List.of(), reason);
        }
    }

    @Inject
    public HostPolicy(ExecAgentConfig config) {
        this(
                config.allowedCommands().orElse(null),
                config.deniedCommands().orElse(List.of()),
                config.allowedShells().orElse(null),
                config.allowedDirs().map(dirs -> withOwnPlaces(dirs, config)).orElse(null));
    }

    HostPolicy(List<String> allowed, List<String> denied) {
        this(allowed, denied, null);
    }

    public HostPolicy(List<String> allowed, List<String> denied, List<String> shells) {
        this(allowed, denied, shells, null);
    }

    HostPolicy(List<String> allowed, List<String> denied, List<String> shells, List<String> directories) {
        this.allowed = allowed == null ? null : compile("allowed-commands", allowed);
        this.denied = compile("denied-commands", denied);
        this.shells = shells == null
                ? null
                : shells.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        this.directories = directories == null
                ? null
                : directories.stream()
                        .map(String::strip)
                        .filter(d -> !d.isEmpty())
                        .map(HostPolicy::real)
                        .toList();
    }

    /** The allowed directories and the agent's own places, where it puts commands itself. */
    private static List<String> withOwnPlaces(List<String> allowedDirs, ExecAgentConfig config) {
        List<String> all = new ArrayList<>(allowedDirs);
        all.add(config.defaultCwd());
        all.add(config.worktreesDir());
        all.add(config.workflowDir());
        config.workflowRoots().ifPresent(all::addAll);
        all.addAll(config.projects().values());
        return all;
    }

    /** A directory as it is on disk (symbolic links resolved), or as written where it does not exist. */
    private static Path real(String directory) {
        return real(Path.of(directory));
    }

    private static Path real(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException | RuntimeException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    /** Whether this host has a policy at all; without one any command runs. */
    boolean restricts() {
        return allowed != null || !denied.isEmpty() || shells != null;
    }

    /**
     * The decision on an order: its working directory must be one the policy allows (where it names some); a workflow
     * step's program must be an allowed shell; a launch's environment must not set a variable that changes what runs
     * ({@link LaunchEnvironment}) unless its profile allows it.
     */
    public Decision decide(ExecOrder order) {
        if (directories != null && order.cwd() != null) {
            Path cwd = real(order.cwd());
            if (directories.stream().noneMatch(cwd::startsWith)) {
                return Decision.refuse("this host's policy lets commands run only in " + directories + " (and below;"
                        + " gitcrq.exec.policy.allowed-dirs), not in " + order.cwd());
            }
        }
        Decision decision = order.workflow() != null ? step(order.command()) : command(order.command());
        if (!decision.refused() && order.launch() != null) {
            Optional<String> risky = LaunchEnvironment.refusal(
                    order.env().keySet(),
                    order.launch().allowedEnv(),
                    order.launch().profile());
            if (risky.isPresent()) {
                return Decision.refuse(risky.get());
            }
        }
        return decision;
    }

    /** A command (an exec's, a launch's): an argument vector, or a shell line where bash may run it. */
    public Decision command(String line) {
        ShellWords words = ShellWords.parse(line);
        if (words.isShellLine()) {
            return shellLine(line, words.shellSyntax());
        }
        if (words.words().isEmpty()) {
            return Decision.refuse("the command is empty");
        }
        List<String> argv = words.words();
        Optional<String> deny = denial(argv);
        if (deny.isPresent()) {
            return Decision.refuse(deny.get());
        }
        if (!restricts()) {
            return Decision.run(argv);
        }
        String program = argv.get(0);
        if (Programs.runsScripts(program)) {
            return isAllowedShell(program)
                    ? Decision.run(argv)
                    : Decision.refuse("'" + program + "' runs scripts, so this host's policy lets it run only as an"
                            + " allowed shell (gitcrq.exec.policy.allowed-shells: " + describeShells() + ")");
        }
        if (allowed != null
                && allowed.stream().noneMatch(p -> p.matcher(program).matches())) {
            return Decision.refuse("this host's policy allows only the programs matching "
                    + allowed.stream().map(p -> "'" + p.pattern() + "'").toList() + ", not '" + program + "'");
        }
        return Decision.run(argv);
    }

    /**
     * A workflow step: its argument vector runs the step's script with the step's {@code shell:} program, which may
     * run anything the script says; so that program must be an allowed shell.
     */
    public Decision step(String line) {
        ShellWords words = ShellWords.parse(line);
        if (words.isShellLine() || words.words().isEmpty()) {
            return Decision.refuse("the step's command is not an argument vector ("
                    + (words.isShellLine() ? words.shellSyntax() : "empty") + ")");
        }
        List<String> argv = words.words();
        Optional<String> deny = denial(argv);
        if (deny.isPresent()) {
            return Decision.refuse(deny.get());
        }
        String program = argv.get(0);
        if (restricts() && !isAllowedShell(program)) {
            return Decision.refuse("a workflow step runs its script with '" + program + "', which this host's policy"
                    + " does not allow as a shell (gitcrq.exec.policy.allowed-shells: " + describeShells() + ")");
        }
        return Decision.run(argv);
    }

    private Decision shellLine(String line, String syntax) {
        if (!restricts()) {
            return Decision.run(List.of(SHELL, "-c", line));
        }
        Optional<String> shell = shells == null
                ? Optional.empty()
                : shells.stream()
                        .filter(s -> Programs.fileName(s).equals(SHELL))
                        .findFirst();
        if (shell.isEmpty()) {
            return Decision.refuse("the command is a shell line (it holds " + syntax + "), and this host's policy"
                    + " runs shell lines only where it allows bash as a shell (gitcrq.exec.policy.allowed-shells: "
                    + describeShells() + ")");
        }
        Optional<String> deny = denial(List.of(shell.get()));
        return deny.map(Decision::refuse).orElseGet(() -> Decision.run(List.of(shell.get(), "-c", line)));
    }

    /** Why the deny list refuses this vector: its program, or (behind a wrapper) any word naming a denied program. */
    private Optional<String> denial(List<String> argv) {
        List<String> programs = new ArrayList<>(List.of(argv.get(0)));
        if (WRAPPERS.contains(Programs.fileName(argv.get(0)))) {
            programs.addAll(argv.subList(1, argv.size()));
        }
        for (String program : programs) {
            for (Pattern pattern : denied) {
                if (pattern.matcher(program).matches()
                        || pattern.matcher(Programs.fileName(program)).matches()) {
                    return Optional.of("this host's policy denies the program '" + program + "' (denied-commands '"
                            + pattern.pattern() + "')");
                }
            }
        }
        return Optional.empty();
    }

    private boolean isAllowedShell(String program) {
        return shells != null && shells.contains(program);
    }

    private String describeShells() {
        return shells == null || shells.isEmpty() ? "none" : String.join(", ", shells);
    }

    private static List<Pattern> compile(String key, List<String> expressions) {
        try {
            return expressions.stream()
                    .filter(e -> !e.isBlank())
                    .map(Pattern::compile)
                    .toList();
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(
                    "gitcrq.exec.policy." + key + " holds a bad regular expression: " + e.getMessage(), e);
        }
    }
}
