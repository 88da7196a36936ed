package io.gitcrq.execagent.tmux;

/** tmux refused or failed a command; the message says which and what tmux answered. */
public class TmuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TmuxException(String message) {
        super(message);
    }

    public TmuxException(String message, Throwable cause) {
        super(message, cause);
    }
}
