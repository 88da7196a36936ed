package io.gitcrq.kit.error;

/** What a request names (a CRQ, a repository, an exec, a profile …) does not exist. */
public class EntityNotFoundException extends DomainException {
    private static final long serialVersionUID = 1L;

    public EntityNotFoundException(String detail) {
        super(detail);
    }
}
