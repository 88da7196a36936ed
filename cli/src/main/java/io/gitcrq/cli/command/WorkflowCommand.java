package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.CrqId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq workflow run FILE | --repo R [--ref REF] --file F}, {@code show RUN_ID}, {@code cancel RUN_ID},
 * {@code list --crq CRQ-n}: GitHub-Actions-style workflow files run by the exec-agent, each step an exec in a tmux
 * pane of its own (recorded, audited against the CRQ).
 */
@Command(
        name = "workflow",
        mixinStandardHelpOptions = true,
        description = "Run GitHub-Actions-style workflow files (run: steps, needs, if:, matrix, outputs) on the "
                + "exec-agent's host, each step in a tmux pane, audited against a CRQ.")
public class WorkflowCommand extends GroupCommand {

    static final String RUNNING = "RUNNING";

    @ParentCommand
    GitcrqCli cli;

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run a workflow file on the exec-agent: FILE, read here and sent as text, or --file as "
                        + "committed in the Git repository --repo on the agent's host at --ref (read from that commit when "
                        + "the run starts; the commit is recorded with the run, which runs in the repository's work tree "
                        + "unless --workspace). By default follows the run, printing each step as it ends, and exits 1 "
                        + "unless the run succeeded.",
                "Steps run on the agent's host, in tmux session wf-<runId> (or --session), one window per step."
            },
            footer = {
                "",
                "Examples: gitcrq workflow run .github/workflows/ci.yml --crq CRQ-3",
                "          gitcrq workflow run --repo /src/app --ref feature/CRQ-3-x --file .gitcrq/workflows/build.yml"
                        + " --crq CRQ-3",
                "Replay a step: gitcrq workflow show RUN_ID, then gitcrq replay EXEC_ID"
            })
    int run(
            @Parameters(
                            paramLabel = "FILE",
                            arity = "0..1",
                            description = "The workflow file (YAML), read here and sent as text.")
                    String file,
            @Option(
                            names = "--repo",
                            paramLabel = "PATH",
                            description =
                                    "A Git repository on the agent's host (a relative path is taken from the current "
                                            + "directory, for an agent on this host).")
                    String repo,
            @Option(
                            names = "--ref",
                            paramLabel = "REF",
                            description = "With --repo: the branch, tag or commit to read --file at (default: HEAD).")
                    String ref,
            @Option(
                            names = "--file",
                            paramLabel = "PATH",
                            description = "With --repo: the workflow file's path in the repository, e.g. "
                                    + ".gitcrq/workflows/build.yml.")
                    String repoFile,
            @Option(names = "--crq", required = true, paramLabel = "CRQ-n", description = "The CRQ the run is for.")
                    CrqId crq,
            @Option(
                            names = "--session",
                            paramLabel = "SESSION",
                            description = "tmux session for the steps (default: wf-<runId>).")
                    String session,
            @Option(
                            names = "--workspace",
                            paramLabel = "DIR",
                            description =
                                    "Existing directory on the agent's host the steps run in (default: the work tree "
                                            + "of --repo, else a fresh directory of the run's own).")
                    String workspace,
            @Option(
                            names = "--wait",
                            negatable = true,
                            defaultValue = "true",
                            fallbackValue = "true",
                            description = "Follow the run to its end (default); --no-wait prints the run id.")
                    boolean wait,
            @Option(
                            names = "--timeout",
                            defaultValue = "3600",
                            paramLabel = "SECONDS",
                            description = "Longest wait for the run (default: ${DEFAULT-VALUE}).")
                    int timeoutSeconds)
            throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("crq", crq.toString());
        if ((file == null) == (repo == null)) {
            throw new CliFailure(CliFailure.USAGE, "give a workflow FILE, or --repo with --file");
        }
        if (repo == null && (ref != null || repoFile != null)) {
            throw new CliFailure(CliFailure.USAGE, "--ref and --file go with --repo");
        }
        if (file != null) {
            body.put("workflow", read(file));
            body.put("source", file);
        } else {
            if (repoFile == null) {
                throw new CliFailure(
                        CliFailure.USAGE,
                        "--file is required with --repo: the workflow file's path in "
                                + "the repository, e.g. .gitcrq/workflows/build.yml");
            }
            body.put("repo", local(repo).toString());
            if (ref != null) {
                body.put("ref", ref);
            }
            body.put("file", repoFile);
        }
        String label = file != null ? file : repoFile;
        if (session != null) {
            body.put("session", session);
        }
        if (workspace != null) {
            body.put("workspace", workspace);
        }
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        JsonNode accepted = agent.post("/workflows", body);
        String runId = Json.text(accepted, "runId");
        if (runId == null) {
            throw new CliFailure(CliFailure.FAILED, "exec-agent accepted the workflow but sent no runId");
        }
        if (!wait) {
            cli.printer().print(accepted, out -> out.println(runId));
            return 0;
        }
        boolean json = cli.printer().json();
        PrintWriter out = cli.environment().out();
        if (!json) {
            String commit = Json.text(accepted, "commit");
            out.println("workflow " + Json.text(accepted, "name", label) + ": run " + runId + " (tmux session "
                    + Json.text(accepted, "session", "?") + (commit == null ? "" : ", commit " + commit) + ")");
            out.flush();
        }
        Progress progress = new Progress();
        JsonNode result = awaitEnd(agent, runId, timeoutSeconds, state -> {
            if (!json) {
                progress.print(state, out);
            }
        });
        printEnd(result, runId, label);
        return "SUCCESS".equals(Json.text(result, "status")) ? 0 : CliFailure.FAILED;
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancel a workflow run as GitHub Actions does: its running step is stopped (its process "
                        + "tree killed), later steps and jobs run only if their if: says always() or cancelled(). By "
                        + "default waits for the run to end and exits 0 when it ended CANCELLED.",
                "Refused (409) for a run that has ended."
            })
    int cancel(
            @Parameters(paramLabel = "RUN_ID", description = "The run, as `gitcrq workflow run` shows it.")
                    String runId,
            @Option(
                            names = "--wait",
                            negatable = true,
                            defaultValue = "true",
                            fallbackValue = "true",
                            description = "Wait for the run to end (default); --no-wait returns once it is cancelling.")
                    boolean wait,
            @Option(
                            names = "--timeout",
                            defaultValue = "120",
                            paramLabel = "SECONDS",
                            description = "Longest wait for the run to end (default: ${DEFAULT-VALUE}).")
                    int timeoutSeconds)
            throws InterruptedException {
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        JsonNode cancelling = agent.post("/workflows/" + ServiceClient.segment(runId) + "/cancel", Map.of());
        if (!wait) {
            cli.printer()
                    .print(
                            cancelling,
                            out -> out.println("workflow run " + runId + " cancelling (by "
                                    + Json.text(cancelling, "cancelledBy", "?") + ")"));
            return 0;
        }
        JsonNode result = awaitEnd(agent, runId, timeoutSeconds, state -> {});
        printEnd(result, runId, runId);
        return "CANCELLED".equals(Json.text(result, "status")) ? 0 : CliFailure.FAILED;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List a CRQ's workflow runs on the exec-agent's host, newest first.")
    int list(
            @Option(names = "--crq", required = true, paramLabel = "CRQ-n", description = "The CRQ.") CrqId crq,
            @Option(
                            names = "--status",
                            paramLabel = "STATUS",
                            description = "Only runs with this status: RUNNING, SUCCESS, FAILURE or CANCELLED.")
                    String status,
            @Option(
                            names = "--limit",
                            defaultValue = "20",
                            paramLabel = "N",
                            description = "At most N runs (default: ${DEFAULT-VALUE}, up to 200).")
                    int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("crq", crq.toString());
        query.put("status", status);
        query.put("limit", limit);
        JsonNode runs = cli.client(Service.EXEC_AGENT).get("/workflows" + ServiceClient.query(query));
        cli.printer().print(runs, out -> {
            if (runs.isEmpty()) {
                out.println("no workflow runs of " + crq);
                return;
            }
            Table table = new Table("RUN", "STATUS", "NAME", "SOURCE", "COMMIT", "BY", "STARTED");
            for (JsonNode run : runs) {
                String commit = Json.text(run, "commit");
                table.row(
                        Json.text(run, "runId"),
                        Json.text(run, "status"),
                        Json.text(run, "name"),
                        Json.text(run, "source"),
                        commit == null ? null : commit.substring(0, Math.min(12, commit.length())),
                        Json.text(run, "requestedBy"),
                        Json.time(Json.text(run, "startedAt")));
            }
            table.print(out);
        });
        return 0;
    }

    /** Polls the run until it has ended (passing each state to {@code onState}); a failure past the timeout. */
    private JsonNode awaitEnd(ServiceClient agent, String runId, int timeoutSeconds, Consumer<JsonNode> onState)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            JsonNode state = agent.get("/workflows/" + ServiceClient.segment(runId));
            onState.accept(state);
            if (!RUNNING.equals(Json.text(state, "status", RUNNING))) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new CliFailure(
                        CliFailure.FAILED,
                        "workflow run " + runId + " did not finish within " + timeoutSeconds
                                + " s; it keeps running on the exec-agent (gitcrq workflow show " + runId + ")");
            }
            Thread.sleep(cli.environment().pollInterval().toMillis());
        }
    }

    /** {@code workflow stage FAILURE (run r-1)} and the run's error, or the run as JSON. */
    private void printEnd(JsonNode result, String runId, String fallbackName) {
        cli.printer().print(result, o -> {
            o.println("workflow " + Json.text(result, "name", fallbackName) + " " + Json.text(result, "status")
                    + " (run " + runId + ")");
            String error = Json.text(result, "error");
            if (error != null) {
                o.println("error: " + error);
            }
        });
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a workflow run: its jobs and steps, with the exec that ran each step (for gitcrq "
                    + "replay).")
    int show(
            @Parameters(paramLabel = "RUN_ID", description = "The run, as `gitcrq workflow run` shows it.")
                    String runId) {
        JsonNode run = cli.client(Service.EXEC_AGENT).get("/workflows/" + ServiceClient.segment(runId));
        cli.printer().print(run, out -> {
            out.println("run " + Json.text(run, "runId", runId) + "  " + Json.text(run, "name", "?") + "  "
                    + Json.text(run, "status", "?"));
            out.println("  crq " + Json.text(run, "crqId", "?") + ", requested by " + Json.text(run, "requestedBy", "?")
                    + ", on " + Json.text(run, "host", "?") + ", tmux session " + Json.text(run, "session", "?"));
            String commit = Json.text(run, "commit");
            if (commit != null) {
                out.println("  " + Json.text(run, "source", "?") + " of " + Json.text(run, "repo", "?") + ", commit "
                        + commit);
            }
            String cancelledBy = Json.text(run, "cancelledBy");
            if (cancelledBy != null) {
                out.println("  cancelled by " + cancelledBy);
            }
            out.println("  workspace " + Json.text(run, "workspace", "?") + ", started "
                    + Json.time(Json.text(run, "startedAt")) + ", finished " + Json.time(Json.text(run, "finishedAt")));
            String error = Json.text(run, "error");
            if (error != null) {
                out.println("  error: " + error);
            }
            for (JsonNode job : Json.items(run, "jobs")) {
                String jobName = Json.text(job, "name", "?");
                if (Json.items(job, "steps").isEmpty()) {
                    out.println(jobLine(job));
                    continue;
                }
                String jobError = Json.text(job, "error");
                if (jobError != null) {
                    out.println(mark(Json.text(job, "status")) + " " + jobName + "  " + jobError);
                }
                for (JsonNode step : Json.items(job, "steps")) {
                    String execId = Json.text(step, "execId");
                    out.println(stepLine(jobName, step) + (execId == null ? "" : "  [exec " + execId + "]"));
                }
            }
        });
        return 0;
    }

    /** A path of this host, absolute (from the current directory). */
    private Path local(String path) {
        try {
            return cli.environment()
                    .workingDirectory()
                    .resolve(path)
                    .toAbsolutePath()
                    .normalize();
        } catch (InvalidPathException e) {
            throw new CliFailure(CliFailure.USAGE, "not a path: " + path);
        }
    }

    private String read(String file) {
        Path path;
        try {
            path = cli.environment().workingDirectory().resolve(file);
        } catch (InvalidPathException e) {
            throw new CliFailure(CliFailure.USAGE, "not a path: " + file);
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.USAGE,
                    "cannot read workflow file " + path + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** Prints each step and step-less job run once, when it has ended. */
    static final class Progress {
        private final Set<String> printed = new HashSet<>();

        void print(JsonNode run, PrintWriter out) {
            for (JsonNode job : Json.items(run, "jobs")) {
                String jobName = Json.text(job, "name", "?");
                String jobKey = Json.text(job, "jobId", "") + "\u0000" + jobName;
                boolean jobEnded = !RUNNING.equals(Json.text(job, "status", RUNNING));
                for (JsonNode step : Json.items(job, "steps")) {
                    if (!RUNNING.equals(Json.text(step, "status", RUNNING))
                            && printed.add(jobKey + "\u0000" + Json.text(step, "index", "?"))) {
                        out.println(stepLine(jobName, step));
                    }
                }
                if (jobEnded && printed.add(jobKey)) {
                    String error = Json.text(job, "error");
                    if (Json.items(job, "steps").isEmpty()) {
                        out.println(jobLine(job));
                    } else if (error != null) {
                        out.println(mark(Json.text(job, "status")) + " " + jobName + "  " + error);
                    }
                }
            }
            out.flush();
        }
    }

    /** {@code ✓ build / Compile}, {@code ✗ test (a, 1) / Run tests  exit 3}, {@code - deploy / Ship  skipped}. */
    static String stepLine(String jobName, JsonNode step) {
        String status = Json.text(step, "status", "?");
        String outcome = Json.text(step, "outcome", status);
        StringBuilder line = new StringBuilder(mark(status))
                .append(' ')
                .append(jobName)
                .append(" / ")
                .append(Json.text(step, "name", "?"));
        StringBuilder notes = new StringBuilder();
        String exitCode = Json.text(step, "exitCode");
        switch (status) {
            case "SKIPPED" -> notes.append("skipped");
            case "CANCELLED" -> notes.append("cancelled");
            case RUNNING -> notes.append("running");
            default -> {
                if (exitCode != null && !"0".equals(exitCode)) {
                    notes.append("exit ").append(exitCode);
                }
                if (step.path("timedOut").asBoolean(false)) {
                    notes.append(notes.isEmpty() ? "" : ", ").append("timed out");
                }
                if (exitCode == null && !"SUCCESS".equals(outcome) && Json.text(step, "error") != null) {
                    notes.append(notes.isEmpty() ? "" : ", ").append(Json.text(step, "error"));
                }
                if ("SUCCESS".equals(status) && "FAILURE".equals(outcome)) {
                    notes.append(notes.isEmpty() ? "" : " ").append("(continue-on-error)");
                }
            }
        }
        if (!notes.isEmpty()) {
            line.append("  ").append(notes);
        }
        return line.toString();
    }

    /** A job run without steps: skipped, cancelled while queued, or failed before any step. */
    static String jobLine(JsonNode job) {
        String status = Json.text(job, "status", "?");
        String name = Json.text(job, "name", "?");
        String error = Json.text(job, "error");
        String note = switch (status) {
            case "SKIPPED" -> "skipped";
            case "CANCELLED" -> "cancelled";
            case RUNNING -> "running";
            case "SUCCESS" -> "";
            default -> "failed";
        };
        if (error != null) {
            note = note.isEmpty() ? error : note + ": " + error;
        }
        return mark(status) + " " + name + (note.isEmpty() ? "" : "  " + note);
    }

    static String mark(String status) {
        if (status == null) {
            return "?";
        }
        return switch (status) {
            case "SUCCESS" -> "✓";
            case "SKIPPED" -> "-";
            case RUNNING -> "…";
            default -> "✗";
        };
    }
}
