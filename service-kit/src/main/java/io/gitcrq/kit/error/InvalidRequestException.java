package io.gitcrq.kit.error;

import java.util.List;

/** What was asked for is malformed or incomplete: the caller must change the request. */
public class InvalidRequestException extends DomainException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String detail) {
        super(detail);
    }

    public InvalidRequestException(String detail, Throwable cause) {
        super(detail, cause);
    }

    /** Refuses a request whose form has problems, naming every one in one detail (as Bean Validation did). */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
    }
}
