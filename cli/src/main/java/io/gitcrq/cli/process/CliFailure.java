package io.gitcrq.cli.process;

/**
 * A failure the user should see as one {@code error: ...} line on stderr, ending the command with
 * {@link #exitCode()} (1: refused or failed, 2: usage, 3: a service is unreachable).
 */
public class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A refusal: the request makes sense but cannot be done (closed CRQ, bad branch type, ...). */
    public static CliFailure refused(String message) {
        return new CliFailure(FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
