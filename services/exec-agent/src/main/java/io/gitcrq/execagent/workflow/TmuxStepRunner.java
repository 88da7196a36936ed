package io.gitcrq.execagent.workflow;

import io.gitcrq.workflow.StepInvocation;
import io.gitcrq.workflow.StepResult;
import io.gitcrq.workflow.StepRunner;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's {@link StepRunner} in exec-agent: each step is an exec of its own ({@link StepExecs}), in a window of
 * the run's tmux session named {@code <job>-<step>} (sanitized; {@code -2}, {@code -3}… when two steps of the run
 * would share a name), so a person attached to the session sees every step, each in its own pane. One per run.
 */
final class TmuxStepRunner implements StepRunner {

    static final int PART = 30;

    private final RunContext run;
    private final StepExecs execs;
    /** Window name → the step that has it, in this run. */
    private final Map<String, String> windows = new HashMap<>();

    TmuxStepRunner(RunContext run, StepExecs execs) {
        this.run = run;
        this.execs = execs;
    }

    @Override
    public StepResult run(StepInvocation step) throws InterruptedException {
        return execs.run(run, window(step), step);
    }

    /** The step's window: the same for the same step, different for any other step of the run. */
    synchronized String window(StepInvocation step) {
        String owner = step.jobId() + "\u0000" + step.jobName() + "\u0000" + step.stepIndex();
        String base =
                sanitize(step.jobName(), "job") + "-" + sanitize(step.stepName(), "step-" + (step.stepIndex() + 1));
        String name = base;
        for (int n = 2; windows.containsKey(name) && !windows.get(name).equals(owner); n++) {
            name = base + "-" + n;
        }
        windows.put(name, owner);
        return name;
    }

    /** Letters, digits, '_', '.', '-' (others, in runs, become one '_'), at most {@value #PART} of them. */
    static String sanitize(String text, String fallback) {
        String s = text == null ? "" : text.replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("^_+|_+$", "");
        if (s.length() > PART) {
            s = s.substring(0, PART);
        }
        return s.isEmpty() ? fallback : s;
    }
}
