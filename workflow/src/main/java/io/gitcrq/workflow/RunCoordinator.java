package io.gitcrq.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run: decides, on a thread of its own, which job runs start when (needs, {@code if:}, matrix, fail-fast,
 * max-parallel, cancellation), hands them to a pool of {@code parallelism} threads and collects their results.
 */
final class RunCoordinator {

    private static final System.Logger LOG = System.getLogger(RunCoordinator.class.getName());

    private enum Phase {
        PENDING,
        RUNNING,
        DONE
    }

    /** One job of the workflow. */
    static final class JobState {
        final JobDefinition def;
        Phase phase = Phase.PENDING;
        final List<Slot> slots = new ArrayList<>();
        Status result;
        Map<String, String> outputs = Map.of();
        boolean failFast = true;
        int maxParallel;
        int running;
        boolean hasMatrix;

        JobState(JobDefinition def) {
            this.def = def;
        }
    }

    /** One run of a job (one matrix combination). */
    static final class Slot {
        final JobState job;
        final int matrixIndex;
        final Map<String, Object> matrix;
        final String name;
        final Map<String, Object> needs;
        final Map<String, Object> strategy;
        final CancelToken token = new CancelToken();
        JobRun result;

        Slot(
                JobState job,
                int matrixIndex,
                Map<String, Object> matrix,
                String name,
                Map<String, Object> needs,
                Map<String, Object> strategy) {
            this.job = job;
            this.matrixIndex = matrixIndex;
            this.matrix = matrix;
            this.name = name;
            this.needs = needs;
            this.strategy = strategy;
        }

        String directoryName() {
            return job.hasMatrix ? job.def.id() + "-" + (matrixIndex + 1) : job.def.id();
        }
    }

    private record Finished(Slot slot, JobRun run) {}

    private static final Object CANCEL = new Object();

    private final WorkflowEngine engine;
    private final Workflow workflow;
    private final String runId;
    private final Map<String, JobState> jobs = new LinkedHashMap<>();
    private final List<Slot> queue = new ArrayList<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<WorkflowRun> result = new CompletableFuture<>();
    private volatile boolean cancelled;
    private int running;
    private ExecutorService pool;
    private Path runDirectory;

    RunCoordinator(WorkflowEngine engine, Workflow workflow, String runId) {
        this.engine = engine;
        this.workflow = workflow;
        this.runId = runId;
        workflow.jobs().forEach(j -> jobs.put(j.id(), new JobState(j)));
    }

    WorkflowExecution start() {
        Thread thread = new Thread(this::coordinate, "miniact-" + runId);
        thread.setDaemon(true);
        thread.start();
        return new WorkflowExecution(runId, result, () -> inbox.add(CANCEL));
    }

    private void coordinate() {
        Instant started = Instant.now();
        AtomicInteger threads = new AtomicInteger();
        pool = Executors.newFixedThreadPool(engine.parallelism(), r -> {
            Thread t = new Thread(r, "miniact-" + runId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Path base = engine.tempDirectory() != null
                    ? engine.tempDirectory()
                    : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(base);
            runDirectory = Files.createTempDirectory(base, "miniact-" + safe(runId) + "-");
            loop();
            result.complete(summarize(started));
        } catch (Throwable t) {
            jobs.values().forEach(j -> j.slots.forEach(s -> s.token.cancel()));
            result.completeExceptionally(t);
        } finally {
            pool.shutdownNow();
        }
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void loop() throws InterruptedException {
        while (true) {
            while (resolveReadyJobs()) {
                // a job decided without running (skipped) can make its dependants ready
            }
            dispatch();
            if (running == 0 && queue.isEmpty()) {
                if (jobs.values().stream().allMatch(j -> j.phase == Phase.DONE)) {
                    return;
                }
                throw new IllegalStateException("no job can start: "
                        + jobs.values().stream()
                                .filter(j -> j.phase != Phase.DONE)
                                .map(j -> j.def.id())
                                .toList());
            }
            Object message = inbox.take();
            if (message == CANCEL) {
                cancelAll();
            } else {
                finished((Finished) message);
            }
        }
    }

    private void cancelAll() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        for (Slot slot : new ArrayList<>(queue)) {
            cancelQueued(slot);
        }
        jobs.values()
                .forEach(j -> j.slots.stream().filter(s -> s.result == null).forEach(s -> s.token.cancel()));
    }

    private void cancelQueued(Slot slot) {
        queue.remove(slot);
        Instant now = Instant.now();
        complete(
                slot,
                new JobRun(
                        slot.job.def.id(),
                        slot.name,
                        slot.matrix,
                        Status.CANCELLED,
                        Status.CANCELLED,
                        Map.of(),
                        List.of(),
                        now,
                        now,
                        null));
    }

    private void finished(Finished f) {
        running--;
        f.slot.job.running--;
        complete(f.slot, f.run);
        JobState job = f.slot.job;
        if (f.run.conclusion() == Status.FAILURE && job.hasMatrix && job.failFast) {
            for (Slot sibling : job.slots) {
                if (sibling.result == null) {
                    if (queue.contains(sibling)) {
                        cancelQueued(sibling);
                    } else {
                        sibling.token.cancel();
                    }
                }
            }
        }
    }

    private void complete(Slot slot, JobRun run) {
        slot.result = run;
        notify(() -> engine.listener().jobFinished(run));
        JobState job = slot.job;
        if (job.slots.stream().allMatch(s -> s.result != null)) {
            List<JobRun> runs = job.slots.stream().map(s -> s.result).toList();
            job.result = aggregate(runs);
            Map<String, String> outputs = new LinkedHashMap<>();
            for (JobRun r : runs) {
                r.outputs().forEach((k, v) -> {
                    if (v != null && !v.isEmpty() || !outputs.containsKey(k)) {
                        outputs.put(k, v);
                    }
                });
            }
            job.outputs = Collections.unmodifiableMap(outputs);
            job.phase = Phase.DONE;
        }
    }

    /** A job's result over its runs, as {@code needs.<job>.result} sees it. */
    static Status aggregate(List<JobRun> runs) {
        if (runs.stream().anyMatch(r -> r.conclusion() == Status.FAILURE)) {
            return Status.FAILURE;
        }
        if (runs.stream().anyMatch(r -> r.conclusion() == Status.CANCELLED)) {
            return Status.CANCELLED;
        }
        if (runs.stream().allMatch(r -> r.conclusion() == Status.SKIPPED)) {
            return Status.SKIPPED;
        }
        return Status.SUCCESS;
    }

    private void dispatch() {
        for (Slot slot : new ArrayList<>(queue)) {
            if (running >= engine.parallelism()) {
                return;
            }
            JobState job = slot.job;
            if (job.maxParallel > 0 && job.running >= job.maxParallel) {
                continue;
            }
            queue.remove(slot);
            running++;
            job.running++;
            JobExecutor executor = new JobExecutor(
                    engine, workflow, runId, runDirectory.resolve(slot.directoryName()), slot, this::notify);
            pool.execute(() -> {
                JobRun run;
                try {
                    run = executor.execute();
                } catch (Throwable t) {
                    Instant now = Instant.now();
                    run = new JobRun(
                            slot.job.def.id(),
                            slot.name,
                            slot.matrix,
                            Status.FAILURE,
                            Status.FAILURE,
                            Map.of(),
                            List.of(),
                            now,
                            now,
                            "internal error: " + t);
                }
                inbox.add(new Finished(slot, run));
            });
        }
    }

    /** Decides every pending job whose needs are done; true when one was decided without running (so look again). */
    private boolean resolveReadyJobs() {
        boolean decidedWithoutRunning = false;
        for (JobState job : jobs.values()) {
            if (job.phase != Phase.PENDING) {
                continue;
            }
            if (!job.def.needs().stream().allMatch(n -> jobs.get(n).phase == Phase.DONE)) {
                continue;
            }
            if (!startJob(job)) {
                decidedWithoutRunning = true;
            }
        }
        return decidedWithoutRunning;
    }

    /** Evaluates the job's if and matrix; queues its runs and returns true, or records why not and returns false. */
    private boolean startJob(JobState job) {
        JobDefinition def = job.def;
        Map<String, Object> needs = new LinkedHashMap<>();
        for (String need : def.needs()) {
            JobState n = jobs.get(need);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("result", n.result.actionsName());
            entry.put("outputs", new LinkedHashMap<String, Object>(n.outputs));
            needs.put(need, entry);
        }
        Set<String> ancestors = ancestors(def.id());
        boolean success = ancestors.stream().allMatch(a -> jobs.get(a).result == Status.SUCCESS);
        boolean failure = ancestors.stream().anyMatch(a -> jobs.get(a).result == Status.FAILURE);
        String fallbackName = def.name() == null ? def.id() : def.name();
        Map<String, Object> contexts;
        try {
            contexts = baseContexts(def.id());
        } catch (RuntimeException e) {
            decide(job, fallbackName, Status.FAILURE, "env: " + message(e));
            return false;
        }
        contexts.put("needs", needs);
        Scope scope = new Scope(contexts, success && !cancelled, failure, cancelled);
        try {
            Expr condition = Conditions.compile(def.condition());
            if (!Values.truthy(scope.evaluate(condition))) {
                decide(job, fallbackName(def, scope), cancelled ? Status.CANCELLED : Status.SKIPPED, null);
                return false;
            }
        } catch (RuntimeException e) {
            decide(job, fallbackName, Status.FAILURE, "if: " + message(e));
            return false;
        }
        List<Map<String, Object>> combinations;
        try {
            if (def.matrix() == null) {
                combinations = List.of(Map.of());
            } else {
                job.hasMatrix = true;
                combinations = Matrix.expand(evaluateTree(def.matrix(), scope));
            }
            job.failFast = def.failFast() == null
                    || Values.flag(Template.parse(def.failFast()).value(scope));
            if (def.maxParallel() != null) {
                double max = Values.toNumber(Template.parse(def.maxParallel()).value(scope));
                job.maxParallel = Double.isNaN(max) || max < 1 ? 0 : (int) max;
            }
        } catch (RuntimeException e) {
            decide(job, fallbackName, Status.FAILURE, "strategy: " + message(e));
            return false;
        }
        Template nameTemplate = def.name() == null ? null : Template.parse(def.name());
        for (int i = 0; i < combinations.size(); i++) {
            Map<String, Object> matrix = Collections.unmodifiableMap(new LinkedHashMap<>(combinations.get(i)));
            Map<String, Object> strategy = new LinkedHashMap<>();
            strategy.put("fail-fast", job.failFast);
            strategy.put("job-index", (double) i);
            strategy.put("job-total", (double) combinations.size());
            strategy.put("max-parallel", (double) (job.maxParallel > 0 ? job.maxParallel : combinations.size()));
            Map<String, Object> slotContexts = new LinkedHashMap<>(contexts);
            slotContexts.put("matrix", matrix);
            slotContexts.put("strategy", strategy);
            String name;
            try {
                name = nameTemplate == null
                        ? def.id()
                        : nameTemplate.render(new Scope(slotContexts, true, false, false));
            } catch (RuntimeException e) {
                name = def.name();
            }
            if (job.hasMatrix && !matrix.isEmpty() && (nameTemplate == null || !nameTemplate.reads("matrix"))) {
                name = name + " " + Matrix.describe(matrix);
            }
            Slot slot = new Slot(job, i, matrix, name, needs, strategy);
            job.slots.add(slot);
            queue.add(slot);
        }
        job.phase = Phase.RUNNING;
        return true;
    }

    private String fallbackName(JobDefinition def, Scope scope) {
        if (def.name() == null) {
            return def.id();
        }
        try {
            Template name = Template.parse(def.name());
            return name.reads("matrix") || name.reads("strategy") ? def.id() : name.render(scope);
        } catch (RuntimeException e) {
            return def.name();
        }
    }

    private void decide(JobState job, String name, Status status, String error) {
        Instant now = Instant.now();
        Slot slot = new Slot(job, 0, Map.of(), name, Map.of(), Map.of());
        job.slots.add(slot);
        job.phase = Phase.RUNNING;
        complete(slot, new JobRun(job.def.id(), name, Map.of(), status, status, Map.of(), List.of(), now, now, error));
    }

    static String message(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Every job this one needs, directly or not. */
    private Set<String> ancestors(String id) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(jobs.get(id).def.needs());
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (out.add(next)) {
                todo.addAll(jobs.get(next).def.needs());
            }
        }
        return out;
    }

    /** github, runner, env (the workflow's, evaluated), vars/secrets/inputs (empty). */
    Map<String, Object> baseContexts(String jobId) {
        return baseContexts(engine, workflow, runId, runDirectory, jobId);
    }

    static Map<String, Object> baseContexts(
            WorkflowEngine engine, Workflow workflow, String runId, Path runDirectory, String jobId) {
        Map<String, Object> github = new LinkedHashMap<>();
        github.put("workspace", engine.workspace().toString());
        github.put("run_id", runId);
        github.put("run_number", "1");
        github.put("run_attempt", "1");
        github.put("workflow", workflow.name());
        github.put("job", jobId);
        github.put("event_name", "workflow_dispatch");
        github.putAll(engine.github());
        Map<String, Object> runner = new LinkedHashMap<>();
        runner.put("os", runnerOs());
        runner.put("arch", System.getProperty("os.arch").contains("aarch64") ? "ARM64" : "X64");
        runner.put("name", "miniact");
        runner.put("temp", runDirectory.toString());
        Map<String, Object> contexts = new LinkedHashMap<>();
        contexts.put("github", github);
        contexts.put("runner", runner);
        contexts.put("vars", Map.of());
        contexts.put("secrets", Map.of());
        contexts.put("inputs", Map.of());
        Map<String, Object> env = new LinkedHashMap<>();
        contexts.put("env", env);
        Scope scope = new Scope(contexts, true, false, false);
        workflow.env().forEach((k, v) -> env.put(k, Template.parse(v).render(scope)));
        return contexts;
    }

    static String runnerOs() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        return os.contains("mac") ? "macOS" : os.contains("win") ? "Windows" : "Linux";
    }

    /** Evaluates the expressions in a matrix tree (a string that is one expression keeps its value's type). */
    static Object evaluateTree(Object value, Scope scope) {
        if (value instanceof String s) {
            return s.contains("${{") ? Template.parse(s).value(scope) : s;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), evaluateTree(v, scope)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(evaluateTree(v, scope)));
            return out;
        }
        return value;
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "workflow listener failed", e);
        }
    }

    private WorkflowRun summarize(Instant started) {
        List<JobRun> runs = new ArrayList<>();
        for (JobState job : jobs.values()) {
            job.slots.forEach(s -> runs.add(s.result));
        }
        Status status = Status.SUCCESS;
        if (runs.stream().anyMatch(r -> r.conclusion() == Status.FAILURE)) {
            status = Status.FAILURE;
        } else if (cancelled || runs.stream().anyMatch(r -> r.conclusion() == Status.CANCELLED)) {
            status = Status.CANCELLED;
        }
        return new WorkflowRun(workflow.name(), runId, status, List.copyOf(runs), started, Instant.now(), runDirectory);
    }
}
