package io.gitcrq.workflow;

import java.util.Locale;

/** A job's or step's result, as Actions names them ({@link #actionsName()}: success, failure, cancelled, skipped). */
public enum Status {
    SUCCESS,
    FAILURE,
    CANCELLED,
    SKIPPED;

    /** The lower-case word expressions see ({@code steps.x.outcome}, {@code needs.x.result}, {@code job.status}). */
    public String actionsName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
