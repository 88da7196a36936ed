package io.gitcrq.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs the steps of one job run, on a pool thread. */
final class JobExecutor {

    static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(360);

    private final WorkflowEngine engine;
    private final Workflow workflow;
    private final String runId;
    private final Path directory;
    private final RunCoordinator.Slot slot;
    private final JobDefinition def;
    private final Consumer<Runnable> notifier;

    private Status jobStatus = Status.SUCCESS;
    private boolean jobTimedOut;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Object> stepsContext = new LinkedHashMap<>();
    private final Map<String, String> addedEnv = new LinkedHashMap<>();
    private final List<String> addedPath = new ArrayList<>();

    JobExecutor(
            WorkflowEngine engine,
            Workflow workflow,
            String runId,
            Path directory,
            RunCoordinator.Slot slot,
            Consumer<Runnable> notifier) {
        this.engine = engine;
        this.workflow = workflow;
        this.runId = runId;
        this.directory = directory;
        this.slot = slot;
        this.def = slot.job.def;
        this.notifier = notifier;
    }

    JobRun execute() {
        Instant started = Instant.now();
        notifier.accept(() -> engine.listener().jobStarted(def.id(), slot.name, slot.matrix));
        List<StepRun> steps = new ArrayList<>();
        Map<String, Object> contexts;
        Map<String, String> jobEnv = new LinkedHashMap<>();
        Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        boolean jobContinueOnError = false;
        try {
            contexts = RunCoordinator.baseContexts(engine, workflow, runId, directory.getParent(), def.id());
            contexts.put("needs", slot.needs);
            contexts.put("matrix", slot.matrix);
            contexts.put("strategy", slot.strategy);
            contexts.put("job", Map.of("status", jobStatus.actionsName()));
            contexts.put("steps", stepsContext);
            @SuppressWarnings("unchecked")
            Map<String, Object> workflowEnv = (Map<String, Object>) contexts.get("env");
            workflowEnv.forEach((k, v) -> jobEnv.put(k, (String) v));
            Scope scope = new Scope(contexts, true, false, false);
            for (Map.Entry<String, String> e : def.env().entrySet()) {
                jobEnv.put(e.getKey(), Template.parse(e.getValue()).render(scope));
                contexts.put("env", new LinkedHashMap<String, Object>(jobEnv));
                scope = new Scope(contexts, true, false, false);
            }
            contexts.put("env", new LinkedHashMap<String, Object>(jobEnv));
            if (def.timeoutMinutes() != null) {
                jobTimeout = minutes(def.timeoutMinutes(), scope);
            }
            if (def.continueOnError() != null) {
                jobContinueOnError =
                        Values.flag(Template.parse(def.continueOnError()).value(scope));
            }
            Files.createDirectories(directory);
        } catch (RuntimeException | IOException e) {
            Instant now = Instant.now();
            String message = e instanceof RuntimeException re ? RunCoordinator.message(re) : e.toString();
            return new JobRun(
                    def.id(),
                    slot.name,
                    slot.matrix,
                    Status.FAILURE,
                    Status.FAILURE,
                    Map.of(),
                    List.of(),
                    started,
                    now,
                    "job setup: " + message);
        }
        long deadline = System.nanoTime() + jobTimeout.toNanos();
        for (StepDefinition step : def.steps()) {
            StepRun run = runStep(step, contexts, jobEnv, deadline, jobTimeout);
            steps.add(run);
            if (step.id() != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("outcome", run.outcome().actionsName());
                entry.put("conclusion", run.conclusion().actionsName());
                entry.put("outputs", new LinkedHashMap<String, Object>(run.outputs()));
                stepsContext.put(step.id(), entry);
            }
            notifier.accept(() -> engine.listener().stepFinished(def.id(), slot.name, run));
        }
        Status outcome = jobTimedOut ? Status.FAILURE : jobStatus;
        contexts.put("job", Map.of("status", outcome.actionsName()));
        contexts.put("env", envContext(jobEnv, Map.of()));
        Map<String, String> outputs = new LinkedHashMap<>();
        Scope scope = statusScope(contexts);
        for (Map.Entry<String, String> e : def.outputs().entrySet()) {
            try {
                outputs.put(e.getKey(), Template.parse(e.getValue()).render(scope));
            } catch (RuntimeException ex) {
                errors.add("outputs." + e.getKey() + ": " + RunCoordinator.message(ex));
            }
        }
        Status conclusion = outcome == Status.FAILURE && jobContinueOnError ? Status.SUCCESS : outcome;
        return new JobRun(
                def.id(),
                slot.name,
                slot.matrix,
                outcome,
                conclusion,
                Collections.unmodifiableMap(outputs),
                List.copyOf(steps),
                started,
                Instant.now(),
                errors.isEmpty() ? null : String.join("; ", errors));
    }

    private Scope statusScope(Map<String, Object> contexts) {
        return new Scope(
                contexts, jobStatus == Status.SUCCESS, jobStatus == Status.FAILURE, jobStatus == Status.CANCELLED);
    }

    private StepRun runStep(
            StepDefinition step,
            Map<String, Object> contexts,
            Map<String, String> jobEnv,
            long deadline,
            Duration jobTimeout) {
        Instant started = Instant.now();
        String name = step.displayName();
        if (jobTimedOut) {
            return skipped(step, name, Status.SKIPPED, started, null);
        }
        if (slot.token.isCancelled() && jobStatus != Status.CANCELLED) {
            jobStatus = Status.CANCELLED;
        }
        contexts.put("job", Map.of("status", jobStatus.actionsName()));
        contexts.put("env", envContext(jobEnv, Map.of()));
        Scope scope = statusScope(contexts);
        if (step.name() != null) {
            try {
                name = Template.parse(step.name()).render(scope);
            } catch (RuntimeException e) {
                name = step.name();
            }
        }
        boolean continueOnError = false;
        try {
            if (step.continueOnError() != null) {
                continueOnError =
                        Values.flag(Template.parse(step.continueOnError()).value(scope));
            }
            if (!Values.truthy(scope.evaluate(Conditions.compile(step.condition())))) {
                return skipped(
                        step, name, jobStatus == Status.CANCELLED ? Status.CANCELLED : Status.SKIPPED, started, null);
            }
        } catch (RuntimeException e) {
            return failedBeforeRun(step, name, started, "if: " + RunCoordinator.message(e), continueOnError);
        }
        // Resolve the step.
        Map<String, String> stepEnv = new LinkedHashMap<>();
        String script;
        String shell;
        Path workingDirectory;
        Duration timeout;
        try {
            for (Map.Entry<String, String> e : step.env().entrySet()) {
                stepEnv.put(e.getKey(), Template.parse(e.getValue()).render(scope));
            }
            contexts.put("env", envContext(jobEnv, stepEnv));
            scope = statusScope(contexts);
            script = Template.parse(step.run()).render(scope);
            String shellText = step.shell() != null
                    ? step.shell()
                    : def.defaultShell() != null ? def.defaultShell() : workflow.defaultShell();
            shell = shellText == null ? null : Template.parse(shellText).render(scope);
            String wdText = step.workingDirectory() != null
                    ? step.workingDirectory()
                    : def.defaultWorkingDirectory() != null
                            ? def.defaultWorkingDirectory()
                            : workflow.defaultWorkingDirectory();
            workingDirectory = wdText == null
                    ? engine.workspace()
                    : engine.workspace()
                            .resolve(Template.parse(wdText).render(scope))
                            .normalize();
            timeout = step.timeoutMinutes() == null ? null : minutes(step.timeoutMinutes(), scope);
        } catch (RuntimeException e) {
            return failedBeforeRun(step, name, started, RunCoordinator.message(e), continueOnError);
        }
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            jobTimedOut = true;
            errors.add("the job exceeded its timeout-minutes (" + describe(jobTimeout) + ")");
            jobStatus = Status.FAILURE;
            return skipped(step, name, Status.SKIPPED, started, null);
        }
        Duration remaining = Duration.ofNanos(remainingNanos);
        boolean jobBound = timeout == null || remaining.compareTo(timeout) < 0;
        Duration effective = jobBound ? remaining : timeout;
        // Files.
        Path stepDir = directory.resolve("step-" + (step.index() + 1));
        Path scriptFile;
        Path outputFile = stepDir.resolve("github_output");
        Path envFile = stepDir.resolve("github_env");
        Path pathFile = stepDir.resolve("github_path");
        Path summaryFile = stepDir.resolve("step_summary.md");
        List<String> command;
        try {
            command = ShellCommand.command(shell, stepDir.resolve("script" + ShellCommand.scriptExtension(shell)));
            scriptFile = stepDir.resolve("script" + ShellCommand.scriptExtension(shell));
            Files.createDirectories(stepDir);
            Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
            for (Path p : List.of(outputFile, envFile, pathFile, summaryFile)) {
                Files.writeString(p, "");
            }
        } catch (IOException | RuntimeException e) {
            return failedBeforeRun(step, name, started, "cannot prepare the step: " + e.getMessage(), continueOnError);
        }
        Map<String, String> env = new LinkedHashMap<>(engine.env());
        env.putAll(jobEnv);
        env.putAll(addedEnv);
        env.putAll(stepEnv);
        env.put("CI", "true");
        env.put("GITHUB_WORKSPACE", engine.workspace().toString());
        env.put("GITHUB_RUN_ID", runId);
        env.put("GITHUB_RUN_NUMBER", "1");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("GITHUB_JOB", def.id());
        env.put("GITHUB_WORKFLOW", workflow.name());
        env.put("GITHUB_EVENT_NAME", "workflow_dispatch");
        env.put("GITHUB_ACTION", step.id() != null ? step.id() : "__run_" + (step.index() + 1));
        env.put("GITHUB_OUTPUT", outputFile.toString());
        env.put("GITHUB_ENV", envFile.toString());
        env.put("GITHUB_PATH", pathFile.toString());
        env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
        env.put("RUNNER_TEMP", directory.getParent().toString());
        env.put("RUNNER_OS", RunCoordinator.runnerOs());
        env.put("RUNNER_NAME", "miniact");
        if (!addedPath.isEmpty()) {
            List<String> path = new ArrayList<>(addedPath);
            Collections.reverse(path);
            String base = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("PATH", String.join(java.io.File.pathSeparator, path) + java.io.File.pathSeparator + base);
        }
        StepInvocation invocation = new StepInvocation(
                def.id(),
                slot.name,
                slot.matrix,
                step.index(),
                step.id(),
                name,
                slot.name + " / " + name,
                script,
                shell,
                command,
                scriptFile,
                workingDirectory,
                Collections.unmodifiableMap(env),
                effective,
                outputFile,
                envFile,
                pathFile,
                stepDir);
        notifier.accept(() -> engine.listener().stepStarted(invocation));
        Instant runStarted = Instant.now();
        StepResult result;
        slot.token.enterStep();
        try {
            result = engine.stepRunner().run(invocation);
            if (result == null) {
                result = StepResult.failedToStart("the step runner returned no result", null);
            }
        } catch (InterruptedException e) {
            result = StepResult.cancelled(null, null);
        } catch (RuntimeException e) {
            result = StepResult.failedToStart("step runner: " + RunCoordinator.message(e), null);
        } finally {
            slot.token.exitStep();
        }
        List<String> stepErrors = new ArrayList<>();
        if (result.error() != null) {
            stepErrors.add(result.error());
        }
        Map<String, String> outputs = Map.of();
        boolean commandFilesOk = true;
        try {
            // The older ::set-output commands first; $GITHUB_OUTPUT wins for a name set both ways.
            Map<String, String> set = new LinkedHashMap<>(CommandFiles.readSetOutputCommands(result.log()));
            set.putAll(CommandFiles.readKeyValues(outputFile));
            outputs = Collections.unmodifiableMap(set);
            addedEnv.putAll(CommandFiles.readKeyValues(envFile));
            addedPath.addAll(CommandFiles.readLines(pathFile));
        } catch (IOException e) {
            commandFilesOk = false;
            stepErrors.add(e.getMessage());
        }
        Status outcome;
        if (result.cancelled()) {
            outcome = Status.CANCELLED;
        } else if (result.succeeded() && commandFilesOk) {
            outcome = Status.SUCCESS;
        } else {
            outcome = Status.FAILURE;
        }
        if (result.timedOut()) {
            if (jobBound) {
                jobTimedOut = true;
                stepErrors.add("the job exceeded its timeout-minutes (" + describe(jobTimeout) + ")");
                errors.add("the job exceeded its timeout-minutes (" + describe(jobTimeout) + ")");
            } else {
                stepErrors.add("the step exceeded its timeout-minutes (" + describe(timeout) + ")");
            }
        }
        Status conclusion = outcome == Status.FAILURE && continueOnError && !jobTimedOut ? Status.SUCCESS : outcome;
        if (outcome == Status.CANCELLED) {
            jobStatus = Status.CANCELLED;
        } else if (conclusion == Status.FAILURE && jobStatus == Status.SUCCESS) {
            jobStatus = Status.FAILURE;
        }
        return new StepRun(
                step.index(),
                step.id(),
                name,
                outcome,
                conclusion,
                result.exitCode(),
                result.timedOut(),
                outputs,
                runStarted,
                Instant.now(),
                stepErrors.isEmpty() ? null : String.join("; ", stepErrors),
                result.log());
    }

    private StepRun skipped(StepDefinition step, String name, Status status, Instant at, String error) {
        return new StepRun(step.index(), step.id(), name, status, status, null, false, Map.of(), at, at, error, null);
    }

    private StepRun failedBeforeRun(
            StepDefinition step, String name, Instant started, String error, boolean continueOnError) {
        Status conclusion = continueOnError ? Status.SUCCESS : Status.FAILURE;
        if (conclusion == Status.FAILURE && jobStatus == Status.SUCCESS) {
            jobStatus = Status.FAILURE;
        }
        return new StepRun(
                step.index(),
                step.id(),
                name,
                Status.FAILURE,
                conclusion,
                null,
                false,
                Map.of(),
                started,
                Instant.now(),
                error,
                null);
    }

    /** The env context: workflow and job env, then what earlier steps wrote to $GITHUB_ENV, then the step's env. */
    private Map<String, Object> envContext(Map<String, String> jobEnv, Map<String, String> stepEnv) {
        Map<String, Object> env = new LinkedHashMap<>(jobEnv);
        env.putAll(addedEnv);
        env.putAll(stepEnv);
        return env;
    }

    /** {@code timeout-minutes}: a positive number of minutes, fractions allowed. */
    static Duration minutes(String text, Scope scope) {
        Object value = Template.parse(text).value(scope);
        double minutes = value instanceof String s ? Values.parseNumber(s.strip()) : Values.toNumber(value);
        if (Double.isNaN(minutes) || minutes <= 0) {
            throw new Expr.ExpressionException(
                    "timeout-minutes must be a positive number, got '" + Values.toStr(value) + "'");
        }
        return Duration.ofMillis(Math.max(1, Math.round(minutes * 60_000)));
    }

    static String describe(Duration d) {
        double minutes = d.toMillis() / 60_000.0;
        return Values.formatNumber(minutes) + " min";
    }
}
