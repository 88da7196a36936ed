package io.gitcrq.kit.error;

/** What was asked for is malformed or incomplete: the caller must change the request. */
public class InvalidRequestException extends DomainException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String detail) {
        super(detail);
    }

    public InvalidRequestException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
