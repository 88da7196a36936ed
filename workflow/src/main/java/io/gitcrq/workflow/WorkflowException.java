package io.gitcrq.workflow;

/**
 * A workflow file that cannot be run: bad YAML, an unknown or cyclic {@code needs}, a {@code uses:} step, a malformed
 * expression, an unsupported key. Thrown by {@link Workflow#load} / {@link Workflow#parse} before anything runs; the
 * message names the file, the job, the step and the line where it can.
 */
public class WorkflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkflowException(String message) {
        super(message);
    }

    public WorkflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
