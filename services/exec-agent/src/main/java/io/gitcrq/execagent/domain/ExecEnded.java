package io.gitcrq.execagent.domain;

/**
 * A CDI event: an exec's end is being committed (FINISHED with its exit code, or FAILED with the reason). Observers
 * that wait for an exec (workflow steps) take it once the transaction committed.
 *
 * @param stoppedBy {@link io.gitcrq.execagent.service.ExecWatcher#TIMEOUT} or {@link io.gitcrq.execagent.service.ExecWatcher#CANCEL} when the agent killed the command,
 *                  else null
 */
public record ExecEnded(
        String execId, ExecStatus status, Integer exitCode, String stoppedBy, String reason, String logPath) {}
