package io.gitcrq.execagent.domain;

/** RUNNING until the command's exit status is known (FINISHED) or can never be (FAILED, with a reason). */
public enum ExecStatus {
    RUNNING,
    FINISHED,
    FAILED
}
