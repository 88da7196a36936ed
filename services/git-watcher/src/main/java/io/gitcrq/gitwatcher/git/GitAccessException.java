package io.gitcrq.gitwatcher.git;

/** A repository could not be found, opened, fetched or changed; the message says which and why. */
public class GitAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GitAccessException(String message) {
        super(message);
    }

    public GitAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
