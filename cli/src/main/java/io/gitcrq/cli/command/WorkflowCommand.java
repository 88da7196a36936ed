package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.CliFailure;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.model.policy.CrqId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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

/**
 * {@code gitcrq workflow run FILE} / {@code gitcrq workflow show RUN_ID}: GitHub-Actions-style workflow files run by
 * the exec-agent, each step an exec in a tmux pane of its own (recorded, audited against the CRQ).
 */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Run GitHub-Actions-style workflow files (run: steps, needs, if:, matrix, outputs) on the "
                + "exec-agent's host, each step in a tmux pane, audited against a CRQ.")
public class WorkflowCommand extends GroupCommand {

    static final String RUNNING = "RUNNING";

    @ParentCommand
    GitcrqCli cli;

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Send a workflow file to the exec-agent and run it. By default follows the run, printing "
                    + "each step as it ends, and exits 1 unless the run succeeded.",
                    "Steps run on the agent's host, in tmux session wf-<runId> (or --session), one window per step."},
            footer = {"", "Example: gitcrq workflow run .github/workflows/ci.yml --crq CRQ-3",
                    "Replay a step: gitcrq workflow show RUN_ID, then gitcrq replay EXEC_ID"})
    int run(@Parameters(paramLabel = "FILE", description = "The workflow file (YAML), read here and sent as text.")
            String file,
            @Option(names = "--crq", required = true, paramLabel = "CRQ-n",
                    description = "The CRQ the run is for.") CrqId crq,
            @Option(names = "--session", paramLabel = "SESSION",
                    description = "tmux session for the steps (default: wf-<runId>).") String session,
            @Option(names = "--workspace", paramLabel = "DIR",
                    description = "Existing directory on the agent's host the steps run in (default: a fresh "
                            + "directory of the run's own).") String workspace,
            @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
                    description = "Follow the run to its end (default); --no-wait prints the run id.") boolean wait,
            @Option(names = "--timeout", defaultValue = "3600", paramLabel = "SECONDS",
                    description = "Longest wait for the run (default: ${DEFAULT-VALUE}).") int timeoutSeconds)
            throws InterruptedException {
        String text = read(file);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("crq", crq.toString());
        body.put("workflow", text);
        body.put("source", file);
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
            out.println("workflow " + Json.text(accepted, "name", file) + ": run " + runId + " (tmux session "
                    + Json.text(accepted, "session", "?") + ")");
            out.flush();
        }
        Progress progress = new Progress();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        JsonNode state = accepted;
        while (true) {
            state = agent.get("/workflows/" + ServiceClient.segment(runId));
            if (!json) {
                progress.print(state, out);
            }
            if (!RUNNING.equals(Json.text(state, "status", RUNNING))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new CliFailure(CliFailure.FAILED, "workflow run " + runId + " did not finish within "
                        + timeoutSeconds + " s; it keeps running on the exec-agent (gitcrq workflow show " + runId + ")");
            }
            Thread.sleep(cli.environment().pollInterval().toMillis());
        }
        String status = Json.text(state, "status");
        JsonNode result = state;
        cli.printer().print(result, o -> {
            o.println("workflow " + Json.text(result, "name", file) + " " + status + " (run " + runId + ")");
            String error = Json.text(result, "error");
            if (error != null) {
                o.println("error: " + error);
            }
        });
        return "SUCCESS".equals(status) ? 0 : CliFailure.FAILED;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a workflow run: its jobs and steps, with the exec that ran each step (for gitcrq "
                    + "replay).")
    int show(@Parameters(paramLabel = "RUN_ID", description = "The run, as `gitcrq workflow run` shows it.")
             String runId) {
        JsonNode run = cli.client(Service.EXEC_AGENT).get("/workflows/" + ServiceClient.segment(runId));
        cli.printer().print(run, out -> {
            out.println("run " + Json.text(run, "runId", runId) + "  " + Json.text(run, "name", "?") + "  "
                    + Json.text(run, "status", "?"));
            out.println("  crq " + Json.text(run, "crqId", "?") + ", requested by " + Json.text(run, "requestedBy", "?")
                    + ", on " + Json.text(run, "host", "?") + ", tmux session " + Json.text(run, "session", "?"));
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
            throw new CliFailure(CliFailure.USAGE, "cannot read workflow file " + path + ": "
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
        StringBuilder line = new StringBuilder(mark(status)).append(' ').append(jobName).append(" / ")
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
