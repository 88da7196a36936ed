package io.gitcrq.cli;

import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.WorkflowView;
import java.util.List;
import java.util.Map;

/**
 * exec-agent's REST bodies as the agent writes and reads them: shared-model's API records with the services' JSON
 * settings, so the CLI is tested against the wire form the agent really has.
 */
final class ExecAgentSamples {

    private ExecAgentSamples() {}

    /** An exec of CRQ-3 in pane dev:0, in this state. */
    static ExecView exec(String execId, String status, Integer exitCode, String logPath) {
        return exec(execId, status, exitCode, logPath, "dev", "0", "/src/app", null, null);
    }

    static ExecView exec(String execId, String status) {
        return exec(execId, status, null, null);
    }

    /** An exec the agent could not run (no exit code), and why. */
    static ExecView failed(String execId, String reason) {
        return exec(execId, "FAILED", null, null, "dev", "0", "/src/app", reason, null);
    }

    /** An exec a launch profile started in its worktree. */
    static ExecView launched(String execId, String session, String pane, String cwd, String branch, String profile) {
        return new ExecView(
                execId, "RUNNING", null, null, null, null, session, pane, profile, "CRQ-12", branch, cwd, "alice",
                "dev-1", null, null, null, null, null, null, null, null, profile, Map.of());
    }

    private static ExecView exec(
            String execId,
            String status,
            Integer exitCode,
            String logPath,
            String session,
            String pane,
            String cwd,
            String reason,
            String profile) {
        return new ExecView(
                execId, status, exitCode, logPath, null, null, session, pane, "make", "CRQ-3", null, cwd, "alice",
                "dev-1", reason, null, null, null, null, null, null, null, profile, Map.of());
    }

    /** A run of CRQ-3 as the agent shows it right after accepting it or in a list (other fields null). */
    static WorkflowView run(
            String runId,
            String name,
            String status,
            String session,
            String commit,
            String cancelledBy,
            List<WorkflowView.Job> jobs) {
        return new WorkflowView(
                runId,
                name,
                null,
                status,
                "CRQ-3",
                null,
                session,
                null,
                null,
                null,
                commit,
                null,
                null,
                cancelledBy,
                null,
                null,
                null,
                jobs);
    }

    static WorkflowView.Job job(String jobId, String name, String status, WorkflowView.Step... steps) {
        String outcome = "RUNNING".equals(status) ? null : status;
        return new WorkflowView.Job(jobId, name, Map.of(), status, outcome, Map.of(), null, null, null, List.of(steps));
    }

    static WorkflowView.Step step(
            int index, String name, String status, String outcome, Integer exitCode, boolean timedOut, String execId) {
        return new WorkflowView.Step(
                index, null, name, status, outcome, exitCode, timedOut, Map.of(), null, execId, null, null, null);
    }
}
