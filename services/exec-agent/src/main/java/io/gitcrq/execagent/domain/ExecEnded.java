package io.gitcrq.execagent.domain;

/**
 * A CDI event: an exec's end is being committed (FINISHED with its exit code, or FAILED with the reason). Observers
 * that wait for an exec (workflow steps) take it once the transaction committed.
 *
 * @param stoppedBy {@link io.gitcrq.execagent.service.ExecWatcher#TIMEOUT} or {@link io.gitcrq.execagent.service.ExecWatcher#CANCEL} when the agent killed the command,
 *                  else null
 * @param session   the tmux session and window ({@code pane}) it ran in
 * @param keepPane  whether that window stays open now that the command ended
 */
public record ExecEnded(
        String execId,
        ExecStatus status,
        Integer exitCode,
        String stoppedBy,
        String reason,
        String logPath,
        String session,
        String pane,
        boolean keepPane) {

    /** The end of {@code exec}, as its row says once ended. */
    public static ExecEnded of(ManagedExec exec) {
        return new ExecEnded(
                exec.execId,
                exec.status,
                exec.exitCode,
                exec.stoppedBy,
                exec.reason,
                exec.logPath,
                exec.session,
                exec.pane,
                exec.keepPane);
    }
}
