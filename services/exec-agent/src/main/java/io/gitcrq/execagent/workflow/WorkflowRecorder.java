package io.gitcrq.execagent.workflow;

import io.gitcrq.workflow.JobRun;
import io.gitcrq.workflow.StepInvocation;
import io.gitcrq.workflow.StepRun;
import io.gitcrq.workflow.WorkflowListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The engine's listener for one run: writes each job run and step to the database as it starts and ends, so
 * {@code GET /workflows/{runId}} shows the run while it goes on. A write that fails is logged; the run's result
 * settles every row again at the end.
 */
final class WorkflowRecorder implements WorkflowListener {

    private static final Logger LOG = Logger.getLogger(WorkflowRecorder.class);

    private final WorkflowLedger ledger;
    private final String runId;
    private final AtomicInteger positions = new AtomicInteger();
    private final Map<String, Integer> positionOf = new ConcurrentHashMap<>();

    WorkflowRecorder(WorkflowLedger ledger, String runId) {
        this.ledger = ledger;
        this.runId = runId;
    }

    private int position(String jobId, String jobName) {
        return positionOf.computeIfAbsent(jobId + "\u0000" + jobName, k -> positions.getAndIncrement());
    }

    @Override
    public void jobStarted(String jobId, String jobName, Map<String, Object> matrix) {
        write(
                "job " + jobName + " started",
                () -> ledger.jobStarted(runId, jobId, jobName, matrix, position(jobId, jobName)));
    }

    @Override
    public void stepStarted(StepInvocation step) {
        write(
                "step " + step.displayName() + " started",
                () -> ledger.stepStarted(
                        runId, step.jobId(), step.jobName(), step.stepIndex(), step.stepId(), step.stepName()));
    }

    @Override
    public void stepFinished(String jobId, String jobName, StepRun step) {
        write(
                "step " + jobName + " / " + step.name() + " finished",
                () -> ledger.stepFinished(runId, jobId, jobName, step));
    }

    @Override
    public void jobFinished(JobRun job) {
        write(
                "job " + job.name() + " finished",
                () -> ledger.jobFinished(runId, job, null, position(job.jobId(), job.name())));
    }

    private void write(String what, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "workflow %s: cannot record that %s", runId, what);
        }
    }
}
