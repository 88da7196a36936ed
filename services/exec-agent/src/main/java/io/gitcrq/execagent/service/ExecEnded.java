package io.gitcrq.execagent.service;

import io.gitcrq.execagent.domain.ExecStatus;

/**
 * A CDI event: an exec's end is being committed (FINISHED with its exit code, or FAILED with the reason). Observers
 * that wait for an exec (workflow steps) take it once the transaction committed.
 *
 * @param stoppedBy {@link ExecWatcher#TIMEOUT} or {@link ExecWatcher#CANCEL} when the agent killed the command,
 *                  else null
 */
public record ExecEnded(
        String execId, ExecStatus status, Integer exitCode, String stoppedBy, String reason, String logPath) {}
