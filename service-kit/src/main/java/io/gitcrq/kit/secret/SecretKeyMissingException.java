package io.gitcrq.kit.secret;

import java.io.Serial;

/** No usable key to seal or open secrets with: a deployment error, reported at start rather than on first use. */
public class SecretKeyMissingException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    public SecretKeyMissingException(String message) {
        super(message);
    }

    public SecretKeyMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
