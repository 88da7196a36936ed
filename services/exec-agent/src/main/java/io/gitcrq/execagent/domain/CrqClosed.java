package io.gitcrq.execagent.domain;

/**
 * A CRQ this agent knows left the open statuses ({@link CrqView#OPEN_STATUSES}): no command runs for it any more,
 * so what still runs for it (a workflow run's later steps) is stopped.
 */
public record CrqClosed(String crqId, String status) {

    /** Who stopped what ran for the CRQ, as a run's {@code cancelledBy} says it. */
    public String stoppedBy() {
        return "gitcrq (" + crqId + " is " + status + ")";
    }
}
