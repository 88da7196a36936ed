package io.gitcrq.kit.error;

/** Something outside gitcrq that the request needs (a remote repository) could not be reached or read. */
public class UpstreamUnavailableException extends DomainException {
    private static final long serialVersionUID = 1L;

    public UpstreamUnavailableException(String detail) {
        super(detail);
    }

    public UpstreamUnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
