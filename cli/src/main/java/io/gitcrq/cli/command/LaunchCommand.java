package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartLaunchRequest;
import io.gitcrq.model.api.mcp.CreateCrqTokenRequest;
import io.gitcrq.model.api.mcp.CrqTokenView;
import io.gitcrq.model.policy.CrqId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq launch PROFILE --crq CRQ-n}: a launch profile's tool (e.g. the Gemini CLI) in a tmux pane on the
 * exec-agent's host, in the CRQ's own worktree, recorded and audited; {@code --list} shows the profiles.
 */
@Command(
        name = "launch",
        mixinStandardHelpOptions = true,
        description = {
            "Start a launch profile's tool for a CRQ in a tmux pane through the exec-agent: in the CRQ's",
            "own git worktree, with the CRQ's title and description as context, recorded and audited.",
            "Options given here override the profile's. Profiles: the agent's <profiles-dir>/<name>.yaml,",
            "and the shipped shell and gemini. A profile that gives its tool gitcrq's MCP server (gemini does)",
            "gets a token for this CRQ alone, made at mcp-server as you (the tool acts as you on this CRQ only)."
        },
        footer = {
            "",
            "Examples:",
            "  gitcrq launch gemini --crq CRQ-12 --attach",
            "  gitcrq launch shell --crq CRQ-12 --project demo --env DEBUG=1 --audit process,file",
            "  gitcrq launch gemini --crq CRQ-12 --wait -- --version",
            "  gitcrq launch --list"
        })
public class LaunchCommand implements Callable<Integer> {

    @ParentCommand
    CommandContext cli;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROFILE", description = "The launch profile.")
    String profile;

    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "ARG",
            description = "Arguments for the tool, replacing the profile's (after --).")
    List<String> args;

    @Option(names = "--list", description = "List the agent's launch profiles and exit.")
    boolean list;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "The CRQ the tool works on.")
    CrqId crq;

    @Option(
            names = "--project",
            paramLabel = "NAME|PATH",
            description =
                    "Project (a name the agent knows, or a repository path); default: the profile's, else the CRQ's repository.")
    String project;

    @Option(
            names = "--branch",
            paramLabel = "BRANCH",
            description = "The CRQ's branch; default: the profile's, else one named after the CRQ's title.")
    String branch;

    @Option(names = "--session", paramLabel = "SESSION", description = "tmux session (default: the CRQ id).")
    String session;

    @Option(names = "--pane", paramLabel = "PANE", description = "tmux pane (default: the profile's tool).")
    String pane;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A variable for the tool (repeatable).")
    List<String> env;

    @Option(
            names = "--audit",
            split = ",",
            paramLabel = "KIND",
            description = "Audit sources (process, file, syscall, network, http, route), replacing the profile's.")
    List<String> audit;

    @Option(names = "--recordings", paramLabel = "DIR", description = "Where the pane's recording goes.")
    String recordings;

    @Option(names = "--logs", paramLabel = "DIR", description = "Where the exec's log goes.")
    String logs;

    @Option(names = "--wait", description = "Wait for the tool to end and exit with its exit code.")
    boolean waitForResult;

    @Option(
            names = "--output",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "With --wait: once it ended, show what the tool printed (its recording, secrets masked); default.")
    boolean showOutput;

    @Option(
            names = "--timeout",
            defaultValue = "3600",
            paramLabel = "SECONDS",
            description = "Longest --wait (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--no-mcp",
            description =
                    "Do not give the tool gitcrq's MCP server (no token is made; one a launch left is taken out).")
    boolean noMcp;

    @Option(
            names = "--mcp-minutes",
            paramLabel = "MINUTES",
            description = "How long the tool's MCP token is valid (1-1440; default: mcp-server's, 480).")
    Integer mcpMinutes;

    @Option(names = "--attach", description = "Attach this terminal to the tool's pane (tmux attach).")
    boolean attach;

    @Option(
            names = "--tmux-socket",
            defaultValue = "gitcrq",
            paramLabel = "NAME",
            description = "The agent's tmux socket, for --attach and the hint printed (default: ${DEFAULT-VALUE}).")
    String tmuxSocket;

    @Override
    public Integer call() throws InterruptedException {
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        if (list) {
            JsonNode profiles = agent.get("/launches/profiles");
            cli.printer().print(profiles, out -> {
                for (Map.Entry<String, JsonNode> p : profiles.properties()) {
                    out.println(p.getKey()
                            + (p.getValue().asText().isEmpty()
                                    ? ""
                                    : "  " + p.getValue().asText()));
                }
            });
            return 0;
        }
        if (profile == null || crq == null) {
            throw new CliFailure(
                    CliFailure.USAGE,
                    "name a profile and a CRQ: gitcrq launch PROFILE --crq CRQ-n"
                            + " (gitcrq launch --list shows the profiles)");
        }
        Map<String, String> variables = variables(); // a usage error before anything is made
        CrqTokenView mcpToken = noMcp ? null : mcpToken(agent);
        JsonNode accepted;
        try {
            accepted = agent.postOnce("/launches", request(variables, mcpToken));
        } catch (RuntimeException refused) {
            revoke(mcpToken); // a token no tool got is not left valid
            throw refused;
        }
        ExecView exec = Json.read(accepted, ExecView.class);
        String execId = exec.execId();
        String target = orUnknown(exec.session()) + ":" + orUnknown(exec.pane());
        if (!waitForResult && !attach) {
            cli.printer().print(accepted, out -> {
                out.println("launched " + profile + " for " + crq + ": exec " + execId + " in tmux pane " + target);
                out.println("worktree: " + orUnknown(exec.cwd()) + " (branch " + orUnknown(exec.branch()) + ")");
                if (mcpToken != null) {
                    out.println("mcp:      gitcrq's MCP server, with a token for " + crq + " alone (until "
                            + mcpToken.expiresAt() + ")");
                }
                out.println("attach:   tmux -L " + tmuxSocket + " attach -t '" + target + "'");
            });
            return 0;
        }
        if (attach) {
            attach(target);
        }
        if (!waitForResult) {
            return 0;
        }
        JsonNode resultJson = ExecCommand.awaitResult(cli, agent, execId, timeoutSeconds);
        ExecView result = Json.read(resultJson, ExecView.class);
        if (showOutput && !cli.printer().json()) {
            ExecCommand.printOutput(cli, agent, execId);
        }
        Integer exitCode = result.exitCode();
        cli.printer()
                .print(
                        resultJson,
                        out -> out.println("exec " + execId + " " + result.status() + ", exit code "
                                + (exitCode == null ? "-" : exitCode)));
        return exitCode == null ? CliFailure.FAILED : exitCode;
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "?" : value;
    }

    /**
     * A token for gitcrq's MCP server scoped to the CRQ, made as this user, where the profile gives its tool the
     * server ({@code mcp}); null where it does not.
     */
    private CrqTokenView mcpToken(ServiceClient agent) {
        JsonNode launchProfile = agent.get("/launches/profiles/" + ServiceClient.segment(profile));
        if (!launchProfile.hasNonNull("mcp")) {
            return null;
        }
        ServiceClient mcpServer = cli.client(Service.MCP_SERVER);
        return Json.read(
                mcpServer.post("/crq-tokens", new CreateCrqTokenRequest(crq.toString(), mcpMinutes)),
                CrqTokenView.class);
    }

    /** The {@code --env} variables by name; null when none are given. */
    private Map<String, String> variables() {
        if (env == null) {
            return null;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (String assignment : env) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new CliFailure(CliFailure.USAGE, "--env takes NAME=VALUE, not '" + assignment + "'");
            }
            variables.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return variables;
    }

    /** Revokes a token made for a launch that did not happen; a failure to revoke leaves it to expire. */
    private void revoke(CrqTokenView token) {
        if (token == null) {
            return;
        }
        try {
            cli.client(Service.MCP_SERVER).send("DELETE", "/crq-tokens/" + ServiceClient.segment(token.id()), null);
        } catch (RuntimeException notRevoked) {
            cli.environment()
                    .err()
                    .println("the MCP token made for this launch could not be revoked; it expires at "
                            + token.expiresAt());
        }
    }

    private StartLaunchRequest request(Map<String, String> variables, CrqTokenView mcpToken) {
        return new StartLaunchRequest(
                profile,
                crq.toString(),
                project,
                branch,
                session,
                pane,
                args,
                variables,
                recordings,
                logs,
                audit,
                mcpToken == null ? null : mcpToken.token());
    }

    /** Hands this terminal to tmux until the user detaches (or the pane's session ends). */
    private void attach(String target) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", tmuxSocket, "attach", "-t", target));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().remove("TMUX"); // from inside another tmux, attach to ours all the same
        try {
            builder.start().waitFor();
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot run tmux to attach to " + target + ": " + e.getMessage());
        }
    }
}
