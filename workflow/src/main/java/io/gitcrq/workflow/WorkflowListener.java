package io.gitcrq.workflow;

import java.util.Map;

/**
 * Live notifications while a workflow runs (e.g. for audit events as they happen). Methods are called from the
 * engine's threads, possibly concurrently for job runs in parallel; exceptions they throw are ignored. Every job run
 * that {@link #jobStarted starts} also {@link #jobFinished finishes}; job runs that never start (skipped, cancelled
 * while queued) only finish.
 */
public interface WorkflowListener {

    WorkflowListener NONE = new WorkflowListener() {};

    default void jobStarted(String jobId, String jobName, Map<String, Object> matrix) {}

    default void stepStarted(StepInvocation invocation) {}

    default void stepFinished(String jobId, String jobName, StepRun step) {}

    default void jobFinished(JobRun job) {}
}
