package io.gitcrq.kit.error;

/** The caller is known but may not do this: a requester approving their own CRQ, a command the host policy refuses. */
public class NotPermittedException extends DomainException {
    private static final long serialVersionUID = 1L;

    public NotPermittedException(String detail) {
        super(detail);
    }
}
