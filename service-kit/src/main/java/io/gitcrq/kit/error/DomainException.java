package io.gitcrq.kit.error;

/**
 * A refusal of the domain: something asked for does not exist, is not allowed, or conflicts with the state of things.
 * Services throw one of its kinds and know nothing of HTTP; the REST edge maps each kind to a problem body once
 * ({@code io.gitcrq.kit.rest.ProblemMappers}). The message is the detail a caller is shown.
 */
public abstract class DomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected DomainException(String detail) {
        super(detail);
    }

    protected DomainException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
