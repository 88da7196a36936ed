package io.gitcrq.model.event;

/** A record on a topic that is not a gitcrq CloudEvent we can read; consumers dead-letter it. */
public class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedEventException(String message) {
        super(message);
    }
}
