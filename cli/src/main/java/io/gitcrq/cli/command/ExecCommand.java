package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CastPlayer;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.crq.QueueExecRequest;
import io.gitcrq.model.api.crq.QueuedExec;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.policy.CrqId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gitcrq exec ... -- CMD}: run a command in a tmux pane through the exec-agent, recorded against a CRQ; and
 * {@code gitcrq exec list|show|cancel}: the execs the agent ran or runs. The bare form runs a command as it always
 * did (its options are required for it, checked here rather than by picocli so the subcommands need none of them).
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run a command in a tmux session/pane through the exec-agent, recorded against a CRQ.",
            "By default waits for it and exits with its exit code.",
            "With --queue --host HOST, crq-service sends it through Kafka to HOST's exec-agent with a signed grant for"
                    + " you, and the exec id is printed.",
            "Subcommands list, show and cancel the exec-agent's execs; put the command after -- (a command named"
                    + " list, show or cancel needs it)."
        },
        footer = {
            "",
            "Example: gitcrq exec --crq CRQ-3 -- mvn -q test",
            "         gitcrq exec --crq CRQ-3 --session dev --pane build -- mvn -q test",
            "         gitcrq exec --crq CRQ-3 --queue --host build-1 -- mvn -q test",
            "         gitcrq exec list --crq CRQ-3 --status RUNNING",
            "         gitcrq exec show EXEC_ID",
            "         gitcrq exec cancel EXEC_ID"
        })
public class ExecCommand implements Callable<Integer> {

    private static final Set<String> DONE = Set.of("FINISHED", "FAILED");
    private static final List<String> STATUSES = List.of("RUNNING", "FINISHED", "FAILED");
    // Characters that never need quoting in a POSIX shell word.
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    @Spec
    CommandSpec spec;

    @ParentCommand
    CommandContext cli;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "The CRQ the command is run for (required).")
    CrqId crq;

    @Option(
            names = "--session",
            paramLabel = "SESSION",
            description = "tmux session (default: the CRQ's, e.g. crq-3: a CRQ's commands side by side).")
    String session;

    @Option(
            names = "--pane",
            paramLabel = "PANE",
            description = "tmux pane in the session (default: a new one for this command, exec-<random>).")
    String pane;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch the work is on.")
    String branch;

    @Option(
            names = "--cwd",
            paramLabel = "DIR",
            description = "Directory to run the command in (default: the CRQ's worktree on the agent's host, where its"
                    + " repository is a project there).")
    String cwd;

    @Option(
            names = "--audit",
            split = ",",
            paramLabel = "KIND",
            description =
                    "Audit sources around the command: process, file, syscall, network, http, route (default: the host's).")
    List<String> audit;

    @Option(
            names = "--audit-path",
            paramLabel = "DIR",
            description = "Another directory the file source watches, besides the command's (repeatable).")
    List<String> auditPaths;

    @Option(
            names = "--wait",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Wait for the command and exit with its exit code (default); --no-wait prints the exec id.")
    boolean waitForResult;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            paramLabel = "SECONDS",
            description = "Longest wait for the result (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--queue",
            description = "Ask crq-service to send the command to --host's exec-agent through Kafka; prints the exec id"
                    + " (does not wait).")
    boolean queue;

    @Option(names = "--host", paramLabel = "HOST", description = "The exec-agent's host, with --queue.")
    String host;

    @Option(
            names = "--output",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Once it ended, show what the command printed (its recording, secrets masked); default.")
    boolean showOutput;

    @Option(
            names = "--keep-pane",
            description = "Keep the command's tmux window open (a shell in it) once it ended; by default it is closed.")
    boolean keepPane;

    @Parameters(arity = "0..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        requireRunOptions();
        if (session == null) {
            session = crq.toString().toLowerCase(Locale.ROOT);
        }
        if (pane == null) {
            // Its own pane: never one where an earlier command still runs or left its output.
            pane = "exec-" + HexFormat.of().formatHex(randomBytes(4));
        }
        if (queue != (host != null)) {
            throw new CliFailure(CliFailure.USAGE, "--queue and --host HOST go together");
        }
        if (queue) {
            return queue();
        }
        StartExecRequest request = new StartExecRequest(
                session,
                pane,
                shellCommand(command),
                crq.toString(),
                branch,
                cwd,
                audit,
                auditPaths,
                keepPane ? Boolean.TRUE : null);
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        // Sent again, under one idempotency key, if the agent restarts before it answers: the command runs once.
        JsonNode acceptedJson = agent.postOnce("/execs", request);
        String execId = Json.read(acceptedJson, ExecView.class).execId();
        if (execId == null) {
            throw new CliFailure(CliFailure.FAILED, "exec-agent accepted the command but sent no execId");
        }
        if (!waitForResult) {
            cli.printer().print(acceptedJson, out -> out.println(execId));
            return 0;
        }

        JsonNode resultJson = awaitResult(cli, agent, execId, timeoutSeconds);
        ExecView result = Json.read(resultJson, ExecView.class);
        Integer exitCode = result.exitCode();
        if (showOutput && !cli.printer().json()) {
            printOutput(cli, agent, execId);
        }
        cli.printer().print(resultJson, out -> {
            out.println(
                    "exec " + execId + " " + result.status() + ", exit code " + (exitCode == null ? "-" : exitCode));
            if (result.logPath() != null) {
                out.println("log: " + result.logPath());
            }
        });
        if (exitCode != null) {
            return exitCode;
        }
        if ("FAILED".equals(result.status())) {
            cli.environment()
                    .err()
                    .println("error: exec " + execId + " failed: "
                            + (result.reason() == null ? "no exit code" : result.reason()));
            cli.environment().err().flush();
        }
        return CliFailure.FAILED;
    }

    /**
     * What the command printed, as its recording holds it (the pane's output, secrets masked by the agent), written as
     * the terminal would have shown it; nothing when the agent recorded none.
     */
    static void printOutput(CommandContext cli, ServiceClient agent, String execId) throws InterruptedException {
        String cast;
        try {
            cast = agent.getText("/execs/" + ServiceClient.segment(execId) + "/recording", ReplayCommand.ASCIICAST);
        } catch (CliFailure noRecording) {
            return;
        }
        new CastPlayer(1, Duration.ZERO, pause -> {})
                .play(cast, cli.environment().out());
        cli.environment().out().println();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** What running a command needs, told as picocli tells a missing required option (usage error, exit 2). */
    private void requireRunOptions() {
        List<String> missing = new ArrayList<>();
        if (crq == null) {
            missing.add("'--crq=CRQ-n'");
        }
        if (!missing.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing required option" + (missing.size() > 1 ? "s" : "") + ": " + String.join(", ", missing)
                            + " (or a subcommand: list, show, cancel)");
        }
        if (command == null || command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'CMD' (after --)");
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List the exec-agent's execs: a CRQ's (oldest first), else the latest 100 (newest first).",
                "Secrets are masked in the commands shown."
            })
    int list(
            @Option(names = "--crq", paramLabel = "CRQ-n", description = "Only the execs of this CRQ.") CrqId crq,
            @Option(
                            names = "--status",
                            paramLabel = "STATUS",
                            description = "Only execs in this status: RUNNING, FINISHED, FAILED.")
                    String status,
            @Option(names = "--host", paramLabel = "HOST", description = "Only execs run on this host.") String host) {
        String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw new ParameterException(
                    spec.subcommands().get("list"),
                    "--status must be one of " + String.join(", ", STATUSES) + ", not '" + status + "'");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("crq", crq == null ? null : crq.toString());
        query.put("status", wanted);
        query.put("host", host);
        JsonNode response = cli.client(Service.EXEC_AGENT).get("/execs" + ServiceClient.query(query));
        // Filtered here too, so the result is right even from an agent that ignores a parameter; --json shows the
        // answer's own items.
        ArrayNode shown = Json.MAPPER.createArrayNode();
        List<ExecView> execs = new ArrayList<>();
        for (JsonNode item : Json.items(response, null)) {
            ExecView exec = ApiBodies.read(item, ExecView.class);
            if ((crq == null || crq.toString().equals(exec.crqId()))
                    && (wanted == null || wanted.equals(exec.status()))
                    && (host == null || host.equals(exec.host()))) {
                shown.add(item);
                execs.add(exec);
            }
        }
        cli.printer().print(shown, out -> {
            if (execs.isEmpty()) {
                out.println("no execs");
                return;
            }
            Table table = new Table("EXEC", "CRQ", "STATUS", "EXIT", "HOST", "PANE", "BY", "STARTED", "COMMAND");
            for (ExecView exec : execs) {
                table.row(
                        exec.execId(),
                        exec.crqId(),
                        statusOf(exec),
                        exec.exitCode() == null ? null : String.valueOf(exec.exitCode()),
                        exec.host(),
                        exec.session() == null ? null : exec.session() + ":" + exec.pane(),
                        exec.requestedBy(),
                        exec.startedAt() == null ? null : Json.time(exec.startedAt()),
                        exec.command());
            }
            table.print(out);
        });
        return 0;
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show an exec: what ran, where, how it ended.")
    int show(@Parameters(paramLabel = "EXEC_ID", description = "The exec id.") String execId) {
        JsonNode answer = cli.client(Service.EXEC_AGENT).get("/execs/" + ServiceClient.segment(execId));
        ExecView exec = ApiBodies.read(answer, ExecView.class);
        cli.printer().print(answer, out -> details(exec, out));
        return 0;
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancel an exec: its command is stopped in its pane (SIGTERM, then SIGKILL after the agent's grace);"
                        + " one not started yet never starts.",
                "Its requester, an approver or an admin may. Waits until it ended and shows how (--no-wait: at once)."
            })
    int cancel(
            @Parameters(paramLabel = "EXEC_ID", description = "The exec id.") String execId,
            @Option(
                            names = "--wait",
                            negatable = true,
                            defaultValue = "true",
                            fallbackValue = "true",
                            description = "Wait until the exec ended (default).")
                    boolean waitForEnd,
            @Option(
                            names = "--timeout",
                            defaultValue = "120",
                            paramLabel = "SECONDS",
                            description = "Longest wait (default: ${DEFAULT-VALUE}).")
                    int timeoutSeconds)
            throws InterruptedException {
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        JsonNode answer = agent.post("/execs/" + ServiceClient.segment(execId) + "/cancel", Map.of());
        if (waitForEnd) {
            answer = awaitResult(cli, agent, execId, timeoutSeconds);
        }
        ExecView exec = ApiBodies.read(answer, ExecView.class);
        cli.printer().print(answer, out -> {
            if ("RUNNING".equals(exec.status())) {
                out.println("exec " + execId + " is being cancelled");
            } else {
                out.println("exec " + execId + " " + statusOf(exec) + ", exit code "
                        + (exec.exitCode() == null ? "-" : exec.exitCode())
                        + (exec.reason() == null ? "" : ": " + exec.reason()));
            }
        });
        return 0;
    }

    /** The status as people read it: a command the agent stopped says so ({@code FINISHED (cancel)}). */
    private static String statusOf(ExecView exec) {
        String status = exec.status() == null ? "?" : exec.status();
        return exec.stoppedBy() == null ? status : status + " (" + exec.stoppedBy() + ")";
    }

    private static void details(ExecView exec, PrintWriter out) {
        out.println("exec " + exec.execId() + " " + statusOf(exec) + ", exit code "
                + (exec.exitCode() == null ? "-" : exec.exitCode()));
        field(out, "crq", exec.crqId());
        field(out, "command", exec.command());
        field(out, "host", exec.host());
        field(out, "pane", exec.session() == null ? null : exec.session() + ":" + exec.pane());
        field(out, "cwd", exec.cwd());
        field(out, "branch", exec.branch());
        field(out, "requested by", exec.requestedBy());
        field(out, "started", exec.startedAt() == null ? null : Json.time(exec.startedAt()));
        field(out, "ended", exec.endedAt() == null ? null : Json.time(exec.endedAt()));
        field(out, "reason", exec.reason());
        field(out, "workflow", exec.workflowRunId() == null ? null : exec.workflowRunId() + " " + exec.workflowStep());
        field(out, "profile", exec.profile());
        field(out, "log", exec.logPath());
        field(out, "output sha256", exec.outputSha256());
        field(out, "recording", exec.recordingPath());
        if (exec.audit() != null && !exec.audit().isEmpty()) {
            out.println("audit sources:");
            exec.audit()
                    .forEach((kind, source) -> out.println("  " + kind + ": " + source.status() + ", captured "
                            + source.captured() + ", dropped " + source.dropped()
                            + (source.reason() == null ? "" : " (" + source.reason() + ")")));
        }
    }

    private static void field(PrintWriter out, String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            out.println(name + ": " + value);
        }
    }

    /** Through crq-service and Kafka: the agent of {@code host} runs it once it verified the grant. */
    private int queue() {
        QueueExecRequest request =
                new QueueExecRequest(host, session, pane, shellCommand(command), cwd, branch, audit, auditPaths);
        JsonNode answer = cli.client(Service.CRQ)
                .post("/crqs/" + ServiceClient.segment(crq.toString()) + "/exec-requests", request);
        QueuedExec queued = Json.read(answer, QueuedExec.class);
        if (queued.execId() == null) {
            throw new CliFailure(CliFailure.FAILED, "crq-service accepted the command but sent no execId");
        }
        cli.printer().print(answer, out -> out.println(queued.execId()));
        return 0;
    }

    /** Polls the exec until it ended; its last state. */
    static JsonNode awaitResult(CommandContext cli, ServiceClient agent, String execId, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            JsonNode state = agent.get("/execs/" + ServiceClient.segment(execId));
            String status = Json.read(state, ExecView.class).status();
            if (DONE.contains(status == null ? "" : status)) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new CliFailure(
                        CliFailure.FAILED,
                        "exec " + execId + " did not finish within " + timeoutSeconds + " s (status "
                                + (status == null ? "?" : status) + "); it keeps running on the exec-agent");
            }
            Thread.sleep(cli.environment().pollInterval().toMillis());
        }
    }

    /** The arguments as one shell command line, each quoted when the shell would otherwise split or expand it. */
    static String shellCommand(List<String> args) {
        return args.stream().map(ExecCommand::shellQuote).collect(Collectors.joining(" "));
    }

    static String shellQuote(String arg) {
        if (SHELL_SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
