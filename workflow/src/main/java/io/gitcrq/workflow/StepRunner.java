package io.gitcrq.workflow;

/**
 * Runs one step. The engine decides <em>whether</em> and <em>with what</em> a step runs; a StepRunner decides
 * <em>how</em>: {@link ProcessStepRunner} starts a subprocess, exec-agent can run the same command in a tmux pane.
 *
 * <p>Contract:
 * <ul>
 *   <li>Run {@link StepInvocation#command()} in {@link StepInvocation#workingDirectory()} with
 *       {@link StepInvocation#env()} on top of the runner's environment, and wait for it.</li>
 *   <li>Past {@link StepInvocation#timeout()}, kill it (with whatever it started) and report
 *       {@link StepResult#timedOut()}.</li>
 *   <li>The engine interrupts the calling thread to cancel a running step (fail-fast, {@link WorkflowExecution#cancel()}):
 *       stop the step and return {@link StepResult#cancelled} — or throw {@link InterruptedException}, which the
 *       engine takes as the same.</li>
 *   <li>Called concurrently from the engine's pool threads (one call per job run at a time).</li>
 *   <li>Any other exception fails the step with its message.</li>
 * </ul>
 */
@FunctionalInterface
public interface StepRunner {

    StepResult run(StepInvocation invocation) throws InterruptedException;
}
