package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CastPlayer;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.crq.QueueExecRequest;
import io.gitcrq.model.api.crq.QueuedExec;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.policy.CrqId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq exec ... -- CMD}: run a command in a tmux pane through the exec-agent, recorded against a CRQ. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run a command in a tmux session/pane through the exec-agent, recorded against a CRQ.",
            "By default waits for it and exits with its exit code.",
            "With --queue --host HOST, crq-service sends it through Kafka to HOST's exec-agent with a signed grant for"
                    + " you, and the exec id is printed."
        },
        footer = {
            "",
            "Example: gitcrq exec --crq CRQ-3 --session dev --pane 0 -- mvn -q test",
            "         gitcrq exec --crq CRQ-3 --queue --host build-1 --session dev --pane 0 -- mvn -q test"
        })
public class ExecCommand implements Callable<Integer> {

    private static final Set<String> DONE = Set.of("FINISHED", "FAILED");
    // Characters that never need quoting in a POSIX shell word.
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    @ParentCommand
    CommandContext cli;

    @Option(names = "--crq", required = true, paramLabel = "CRQ-n", description = "The CRQ the command is run for.")
    CrqId crq;

    @Option(names = "--session", required = true, paramLabel = "SESSION", description = "tmux session.")
    String session;

    @Option(names = "--pane", required = true, paramLabel = "PANE", description = "tmux pane in the session.")
    String pane;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch the work is on.")
    String branch;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Directory to run the command in.")
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

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        if (queue != (host != null)) {
            throw new CliFailure(CliFailure.USAGE, "--queue and --host HOST go together");
        }
        if (queue) {
            return queue();
        }
        StartExecRequest request = new StartExecRequest(
                session, pane, shellCommand(command), crq.toString(), branch, cwd, audit, auditPaths);
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        JsonNode acceptedJson = agent.post("/execs", request);
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
            printOutput(agent, execId);
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
    private void printOutput(ServiceClient agent, String execId) throws InterruptedException {
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
