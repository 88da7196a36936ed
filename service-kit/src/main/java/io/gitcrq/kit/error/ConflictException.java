package io.gitcrq.kit.error;

/** The request is well formed but the current state forbids it: an illegal transition, a duplicate, a busy resource. */
public class ConflictException extends DomainException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String detail) {
        super(detail);
    }
}
