package io.gitcrq.cli;

import io.gitcrq.cli.command.AuditCommand;
import io.gitcrq.cli.command.BranchCommand;
import io.gitcrq.cli.command.CheckCommand;
import io.gitcrq.cli.command.CommandContext;
import io.gitcrq.cli.command.CrqCommand;
import io.gitcrq.cli.command.ExecCommand;
import io.gitcrq.cli.command.HookCommand;
import io.gitcrq.cli.command.HooksCommand;
import io.gitcrq.cli.command.LaunchCommand;
import io.gitcrq.cli.command.LoginCommand;
import io.gitcrq.cli.command.MergeSettingsCommand;
import io.gitcrq.cli.command.MergesCommand;
import io.gitcrq.cli.command.ReplayCommand;
import io.gitcrq.cli.command.RepoCommand;
import io.gitcrq.cli.command.WorkflowCommand;
import io.gitcrq.cli.http.Credentials;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.http.TokenStore;
import io.gitcrq.cli.output.Printer;
import io.gitcrq.cli.output.TerminalSafeWriter;
import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.CrqId;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gitcrq} command. Holds the options every subcommand shares ({@code --user}, {@code --json}) and the
 * {@link CliEnvironment}, and hands subcommands their service clients and printer.
 */
@Command(
        name = "gitcrq",
        mixinStandardHelpOptions = true,
        version = "gitcrq 0.1.0",
        description = "Work with gitcrq: change requests (CRQs), branches, watched repositories, remote execs, audit, "
                + "git hooks, recordings, workflows.",
        footer = {
            "",
            "Environment:",
            "  GITCRQ_TOKEN                  bearer token (else --token, or the one gitcrq login stored)",
            "  GITCRQ_USER, GITCRQ_PASSWORD  basic credentials of a local platform (else --user; password prompted)",
            "  Which is used: --token, --user, GITCRQ_TOKEN, GITCRQ_USER, the stored token, in this order.",
            "  GITCRQ_CRQ_URL, GITCRQ_GIT_WATCHER_URL, GITCRQ_MERGE_BOT_URL,",
            "  GITCRQ_AUDIT_URL, GITCRQ_EXEC_AGENT_URL, GITCRQ_MCP_SERVER_URL  service URLs",
            "  (system properties gitcrq.crq-url, gitcrq.git-watcher-url, ... win)"
        })
public class GitcrqCli implements Runnable, CommandContext {

    /**
     * The subcommands by name (their {@code @Command} name), in the order help lists them, {@code help} last. They
     * are not in the {@code @Command} annotation: picocli builds every command it is given by reflection, which took
     * most of a short command's time (bench P6), so a command line that names one subcommand gets only that one
     * built ({@link #execute}); help, and errors at the top, get them all.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = ordered(
            Map.entry("crq", CrqCommand.class),
            Map.entry("branch", BranchCommand.class),
            Map.entry("repo", RepoCommand.class),
            Map.entry("exec", ExecCommand.class),
            Map.entry("audit", AuditCommand.class),
            Map.entry("merges", MergesCommand.class),
            Map.entry("merge-settings", MergeSettingsCommand.class),
            Map.entry("check", CheckCommand.class),
            Map.entry("hooks", HooksCommand.class),
            Map.entry("hook", HookCommand.class),
            Map.entry("replay", ReplayCommand.class),
            Map.entry("workflow", WorkflowCommand.class),
            Map.entry("launch", LaunchCommand.class),
            Map.entry("login", LoginCommand.class),
            Map.entry("logout", LoginCommand.Logout.class),
            Map.entry("help", CommandLine.HelpCommand.class));

    // INHERIT copies these options onto every subcommand, all bound to these fields, so
    // "gitcrq --user a crq list" and "gitcrq crq list --user a" mean the same.
    @Option(
            names = "--user",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            description = "User to act as (default: env GITCRQ_USER). The password comes from env GITCRQ_PASSWORD "
                    + "or is prompted for.")
    String user;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            scope = ScopeType.INHERIT,
            description = "Bearer token to send (default: env GITCRQ_TOKEN, else the one gitcrq login stored). It is "
                    + "visible to other users of this machine in the process list: prefer gitcrq login.")
    String token;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print the service's JSON response instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;
    private Credentials credentials;

    public GitcrqCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new GitcrqCli(CliEnvironment.system()).execute(args));
    }

    /** Parses and runs {@code args}; returns the exit code (0 ok, 1 failed/refused, 2 usage, 3 unreachable). */
    public int execute(String... args) {
        String named = subcommandNamed(args);
        boolean alone = named != null && !named.equals("help") && SUBCOMMANDS.containsKey(named);
        return commandLine(alone ? List.of(SUBCOMMANDS.get(named)) : SUBCOMMANDS.values())
                .execute(args);
    }

    /** The whole command tree. */
    public CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.values());
    }

    @SafeVarargs
    private static Map<String, Class<?>> ordered(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> map = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            map.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The first word of {@code args} that is not one of the top command's own options ({@code --user NAME},
     * {@code --token TOKEN}, {@code --json}); null when another option (help, version, an unknown one, an argument
     * file) comes first, which the whole tree answers.
     */
    public static String subcommandNamed(String... args) {
        int at = subcommandAt(args);
        return at < 0 ? null : args[at];
    }

    /** Where in {@code args} the word {@link #subcommandNamed} returns is; -1 where it returns null. */
    public static int subcommandAt(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--user") || arg.equals("--token")) {
                i++;
            } else if (!arg.startsWith("--user=") && !arg.startsWith("--token=") && !arg.equals("--json")) {
                return arg.startsWith("-") || arg.startsWith("@") ? -1 : i;
            }
        }
        return -1;
    }

    private CommandLine commandLine(Collection<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(this);
        subcommands.forEach(commandLine::addSubcommand);
        // What reaches the terminal may hold text others wrote (titles, problem details): shown without its controls.
        commandLine.setOut(new TerminalSafeWriter(environment.out()));
        commandLine.setErr(new TerminalSafeWriter(environment.err()));
        // CRQ ids are checked while parsing, so "crq show 12" is a usage error like any other bad argument.
        commandLine.registerConverter(CrqId.class, text -> {
            try {
                return CrqId.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        // A file named on the command line is the caller's: relative to where they are, which is not the process's
        // working directory in the resident CLI (io.gitcrq.cli.daemon).
        commandLine.registerConverter(
                java.nio.file.Path.class, text -> environment.workingDirectory().resolve(text));
        // Subcommands get -V from mixinStandardHelpOptions too; let it print the same version everywhere.
        shareVersion(commandLine, commandLine.getCommandSpec().version());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof CliFailure failure) {
                cmd.getErr().println("error: " + failure.getMessage());
                cmd.getErr().flush();
                return failure.exitCode();
            }
            throw ex;
        });
        return commandLine;
    }

    private static void shareVersion(CommandLine command, String[] version) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().version(version);
            shareVersion(sub, version);
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Override
    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public Printer printer() {
        return new Printer(json ? environment.out() : new TerminalSafeWriter(environment.out()), json);
    }

    @Override
    public ServiceClient client(Service service) {
        return new ServiceClient(service, service.baseUrl(environment), this::credentials);
    }

    @Override
    public Optional<String> tokenOption() {
        return nonBlank(token);
    }

    /**
     * Who calls, first found: {@code --token}, {@code --user}, {@code GITCRQ_TOKEN}, {@code GITCRQ_USER}, the token
     * {@code gitcrq login} stored. A user's password comes from GITCRQ_PASSWORD or the console. Asked once.
     */
    synchronized Credentials credentials() {
        if (credentials != null) {
            return credentials;
        }
        Optional<String> given = tokenOption();
        if (given.isPresent()) {
            credentials = Credentials.bearer(given.get(), "--token");
            return credentials;
        }
        String name = nonBlank(user).orElse(null);
        if (name == null) {
            Optional<String> fromEnvironment = nonBlank(environment.variable("GITCRQ_TOKEN"));
            if (fromEnvironment.isPresent()) {
                credentials = Credentials.bearer(fromEnvironment.get(), "GITCRQ_TOKEN");
                return credentials;
            }
            name = nonBlank(environment.variable("GITCRQ_USER")).orElse(null);
        }
        if (name == null) {
            TokenStore store = TokenStore.of(environment);
            Optional<String> stored = store.read();
            if (stored.isPresent()) {
                credentials = Credentials.bearer(stored.get(), store.file().toString());
                return credentials;
            }
            throw new CliFailure(
                    CliFailure.USAGE,
                    "no credentials: run gitcrq login (or pass --token, set GITCRQ_TOKEN), or on a local platform "
                            + "pass --user NAME or set GITCRQ_USER");
        }
        String password = environment.variable("GITCRQ_PASSWORD");
        if (password == null) {
            Optional<char[]> typed = environment.passwordPrompt().readPassword("password for " + name + ": ");
            if (typed.isEmpty()) {
                throw new CliFailure(
                        CliFailure.USAGE,
                        "no password for " + name + ": set GITCRQ_PASSWORD or run in a terminal to be prompted");
            }
            char[] chars = typed.get();
            password = new String(chars);
            Arrays.fill(chars, '\0');
        }
        credentials = Credentials.basic(name.trim(), password);
        return credentials;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
