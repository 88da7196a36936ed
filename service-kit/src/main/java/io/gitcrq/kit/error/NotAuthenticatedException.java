package io.gitcrq.kit.error;

/** The caller could not be verified (a webhook whose signature or token does not match). */
public class NotAuthenticatedException extends DomainException {
    private static final long serialVersionUID = 1L;

    public NotAuthenticatedException(String detail) {
        super(detail);
    }
}
