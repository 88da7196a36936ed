package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.output.TerminalSafeWriter;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import io.gitcrq.model.policy.CrqId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
    CommandContext cli;

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
        if ((file == null) == (repo == null)) {
            throw new CliFailure(CliFailure.USAGE, "give a workflow FILE, or --repo with --file");
        }
        if (repo == null && (ref != null || repoFile != null)) {
            throw new CliFailure(CliFailure.USAGE, "--ref and --file go with --repo");
        }
        StartWorkflowRequest request;
        if (file != null) {
            request = new StartWorkflowRequest(
                    crq.toString(), read(file), null, file, session, workspace, null, null, null);
        } else {
            if (repoFile == null) {
                throw new CliFailure(
                        CliFailure.USAGE,
                        "--file is required with --repo: the workflow file's path in "
                                + "the repository, e.g. .gitcrq/workflows/build.yml");
            }
            request = new StartWorkflowRequest(
                    crq.toString(),
                    null,
                    null,
                    null,
                    session,
                    workspace,
                    local(repo).toString(),
                    ref,
                    repoFile);
        }
        String label = file != null ? file : repoFile;
        ServiceClient agent = cli.client(Service.EXEC_AGENT);
        JsonNode acceptedJson = agent.postOnce("/workflows", request);
        WorkflowView accepted = Json.read(acceptedJson, WorkflowView.class);
        String runId = accepted.runId();
        if (runId == null) {
            throw new CliFailure(CliFailure.FAILED, "exec-agent accepted the workflow but sent no runId");
        }
        if (!wait) {
            cli.printer().print(acceptedJson, out -> out.println(runId));
            return 0;
        }
        boolean json = cli.printer().json();
        PrintWriter out = json
                ? cli.environment().out()
                : new TerminalSafeWriter(cli.environment().out());
        if (!json) {
            String commit = accepted.commit();
            out.println("workflow " + or(accepted.name(), label) + ": run " + runId + " (tmux session "
                    + or(accepted.session(), "?") + (commit == null ? "" : ", commit " + commit) + ")");
            out.flush();
        }
        Progress progress = new Progress();
        JsonNode result = awaitEnd(agent, runId, timeoutSeconds, state -> {
            if (!json) {
                progress.print(state, out);
            }
        });
        printEnd(result, runId, label);
        return "SUCCESS".equals(Json.read(result, WorkflowView.class).status()) ? 0 : CliFailure.FAILED;
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
                                    + or(
                                            Json.read(cancelling, WorkflowView.class)
                                                    .cancelledBy(),
                                            "?") + ")"));
            return 0;
        }
        JsonNode result = awaitEnd(agent, runId, timeoutSeconds, state -> {});
        printEnd(result, runId, runId);
        return "CANCELLED".equals(Json.read(result, WorkflowView.class).status()) ? 0 : CliFailure.FAILED;
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
        JsonNode runsJson = cli.client(Service.EXEC_AGENT).get("/workflows" + ServiceClient.query(query));
        List<WorkflowView> runs = Json.readList(runsJson, WorkflowView.class);
        cli.printer().print(runsJson, out -> {
            if (runs.isEmpty()) {
                out.println("no workflow runs of " + crq);
                return;
            }
            Table table = new Table("RUN", "STATUS", "NAME", "SOURCE", "COMMIT", "BY", "STARTED");
            for (WorkflowView run : runs) {
                String commit = run.commit();
                table.row(
                        run.runId(),
                        run.status(),
                        run.name(),
                        run.source(),
                        commit == null ? null : commit.substring(0, Math.min(12, commit.length())),
                        run.requestedBy(),
                        Json.time(run.startedAt()));
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
            if (!RUNNING.equals(or(Json.read(state, WorkflowView.class).status(), RUNNING))) {
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
    private void printEnd(JsonNode resultJson, String runId, String fallbackName) {
        WorkflowView result = Json.read(resultJson, WorkflowView.class);
        cli.printer().print(resultJson, o -> {
            o.println("workflow " + or(result.name(), fallbackName) + " " + result.status() + " (run " + runId + ")");
            String error = result.error();
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
        JsonNode runJson = cli.client(Service.EXEC_AGENT).get("/workflows/" + ServiceClient.segment(runId));
        WorkflowView run = Json.read(runJson, WorkflowView.class);
        cli.printer().print(runJson, out -> {
            out.println("run " + or(run.runId(), runId) + "  " + or(run.name(), "?") + "  " + or(run.status(), "?"));
            out.println("  crq " + or(run.crqId(), "?") + ", requested by " + or(run.requestedBy(), "?") + ", on "
                    + or(run.host(), "?") + ", tmux session " + or(run.session(), "?"));
            if (run.commit() != null) {
                out.println("  " + or(run.source(), "?") + " of " + or(run.repo(), "?") + ", commit " + run.commit());
            }
            if (run.cancelledBy() != null) {
                out.println("  cancelled by " + run.cancelledBy());
            }
            out.println("  workspace " + or(run.workspace(), "?") + ", started " + Json.time(run.startedAt())
                    + ", finished " + Json.time(run.finishedAt()));
            if (run.error() != null) {
                out.println("  error: " + run.error());
            }
            for (WorkflowView.Job job : jobs(run)) {
                String jobName = or(job.name(), "?");
                if (steps(job).isEmpty()) {
                    out.println(jobLine(job));
                    continue;
                }
                if (job.error() != null) {
                    out.println(mark(job.status()) + " " + jobName + "  " + job.error());
                }
                for (WorkflowView.Step step : steps(job)) {
                    String execId = step.execId();
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

        void print(JsonNode runJson, PrintWriter out) {
            for (WorkflowView.Job job : jobs(Json.read(runJson, WorkflowView.class))) {
                String jobName = or(job.name(), "?");
                String jobKey = or(job.jobId(), "") + "\u0000" + jobName;
                boolean jobEnded = !RUNNING.equals(or(job.status(), RUNNING));
                for (WorkflowView.Step step : steps(job)) {
                    if (!RUNNING.equals(or(step.status(), RUNNING)) && printed.add(jobKey + "\u0000" + step.index())) {
                        out.println(stepLine(jobName, step));
                    }
                }
                if (jobEnded && printed.add(jobKey)) {
                    if (steps(job).isEmpty()) {
                        out.println(jobLine(job));
                    } else if (job.error() != null) {
                        out.println(mark(job.status()) + " " + jobName + "  " + job.error());
                    }
                }
            }
            out.flush();
        }
    }

    /** {@code ✓ build / Compile}, {@code ✗ test (a, 1) / Run tests  exit 3}, {@code - deploy / Ship  skipped}. */
    static String stepLine(String jobName, WorkflowView.Step step) {
        String status = or(step.status(), "?");
        String outcome = or(step.outcome(), status);
        StringBuilder line = new StringBuilder(mark(status))
                .append(' ')
                .append(jobName)
                .append(" / ")
                .append(or(step.name(), "?"));
        StringBuilder notes = new StringBuilder();
        Integer exitCode = step.exitCode();
        switch (status) {
            case "SKIPPED" -> notes.append("skipped");
            case "CANCELLED" -> notes.append("cancelled");
            case RUNNING -> notes.append("running");
            default -> {
                if (exitCode != null && exitCode != 0) {
                    notes.append("exit ").append(exitCode);
                }
                if (step.timedOut()) {
                    notes.append(notes.isEmpty() ? "" : ", ").append("timed out");
                }
                if (exitCode == null && !"SUCCESS".equals(outcome) && step.error() != null) {
                    notes.append(notes.isEmpty() ? "" : ", ").append(step.error());
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
    static String jobLine(WorkflowView.Job job) {
        String status = or(job.status(), "?");
        String name = or(job.name(), "?");
        String error = job.error();
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

    /** {@code value}, or {@code fallback} when the service sent none (null or blank). */
    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A run's jobs; none in lists, where the service leaves them out. */
    private static List<WorkflowView.Job> jobs(WorkflowView run) {
        return run.jobs() == null ? List.of() : run.jobs();
    }

    private static List<WorkflowView.Step> steps(WorkflowView.Job job) {
        return job.steps() == null ? List.of() : job.steps();
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
