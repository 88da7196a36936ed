package io.gitcrq.execagent.domain;

/**
 * One audit source of an exec: {@code RUNNING} once started, {@code STOPPED} with what it captured and dropped once
 * the exec ended, or {@code FAILED} with the reason it could not start.
 */
public record AuditSourceState(String status, Long captured, Long dropped, String reason) {

    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";
    public static final String FAILED = "FAILED";
}
