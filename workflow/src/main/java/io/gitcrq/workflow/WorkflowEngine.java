package io.gitcrq.workflow;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link Workflow}s. Immutable and reusable; each {@link #start} is an independent run with its own temporary
 * directory (script and command files per step) and its own pool of {@link Builder#parallelism} threads.
 *
 * <pre>{@code
 * WorkflowEngine engine = WorkflowEngine.builder()
 *         .stepRunner(new ProcessStepRunner())
 *         .workspace(checkout)
 *         .build();
 * WorkflowRun run = engine.run(Workflow.load(checkout.resolve(".gitcrq/stage.yml")));
 * }</pre>
 */
public final class WorkflowEngine {

    private static final AtomicLong RUN_IDS = new AtomicLong(System.currentTimeMillis());

    private final StepRunner stepRunner;
    private final Path workspace;
    private final Path tempDirectory;
    private final int parallelism;
    private final Map<String, String> env;
    private final Map<String, Object> github;
    private final WorkflowListener listener;

    private WorkflowEngine(Builder b) {
        this.stepRunner = Objects.requireNonNull(b.stepRunner, "stepRunner");
        this.workspace = (b.workspace == null ? Path.of("") : b.workspace)
                .toAbsolutePath()
                .normalize();
        this.tempDirectory = b.tempDirectory;
        this.parallelism = b.parallelism;
        this.env = Map.copyOf(b.env);
        this.github = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.github));
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a run with a fresh run id and returns at once. */
    public WorkflowExecution start(Workflow workflow) {
        return start(workflow, Long.toString(RUN_IDS.incrementAndGet()));
    }

    /** Starts a run with this run id ({@code github.run_id}, {@code GITHUB_RUN_ID}) and returns at once. */
    public WorkflowExecution start(Workflow workflow, String runId) {
        RunCoordinator coordinator = new RunCoordinator(this, workflow, runId);
        return coordinator.start();
    }

    /**
     * Runs a workflow to its end. If the calling thread is interrupted meanwhile, the run is cancelled, this waits
     * for it to wind down, returns its (cancelled) result and leaves the thread's interrupt flag set.
     */
    public WorkflowRun run(Workflow workflow) {
        return start(workflow).awaitUninterruptibly();
    }

    StepRunner stepRunner() {
        return stepRunner;
    }

    Path workspace() {
        return workspace;
    }

    Path tempDirectory() {
        return tempDirectory;
    }

    int parallelism() {
        return parallelism;
    }

    Map<String, String> env() {
        return env;
    }

    Map<String, Object> github() {
        return github;
    }

    WorkflowListener listener() {
        return listener;
    }

    public static final class Builder {
        private StepRunner stepRunner;
        private Path workspace;
        private Path tempDirectory;
        private int parallelism = 2;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, Object> github = new LinkedHashMap<>();
        private WorkflowListener listener = WorkflowListener.NONE;

        private Builder() {}

        /** How steps run (required), e.g. {@link ProcessStepRunner}. */
        public Builder stepRunner(StepRunner stepRunner) {
            this.stepRunner = stepRunner;
            return this;
        }

        /** {@code github.workspace} / {@code GITHUB_WORKSPACE}, where steps run by default (default: the current directory). */
        public Builder workspace(Path workspace) {
            this.workspace = workspace;
            return this;
        }

        /** Where each run creates its directory of per-step files (default: the system's temporary directory). */
        public Builder tempDirectory(Path tempDirectory) {
            this.tempDirectory = tempDirectory;
            return this;
        }

        /** How many job runs may run at the same time (default 2; 1 runs jobs one after another). */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
            this.parallelism = parallelism;
            return this;
        }

        /** A variable set for every step, under the workflow's own {@code env:} (e.g. a CRQ key). */
        public Builder env(String name, String value) {
            this.env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env.putAll(env);
            return this;
        }

        /**
         * A {@code github.*} context value besides the built-in {@code workspace}, {@code run_id}, {@code run_number},
         * {@code job}, {@code workflow}, {@code event_name} ({@code workflow_dispatch}), e.g. {@code sha}, {@code ref},
         * {@code repository}, {@code actor}. Values are Strings, Booleans, Numbers, Lists or Maps.
         */
        public Builder github(String name, Object value) {
            this.github.put(name, Values.normalize(value));
            return this;
        }

        public Builder listener(WorkflowListener listener) {
            this.listener = listener == null ? WorkflowListener.NONE : listener;
            return this;
        }

        public WorkflowEngine build() {
            return new WorkflowEngine(this);
        }
    }
}
