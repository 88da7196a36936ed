package io.gitcrq.execagent.domain;

import io.gitcrq.kit.error.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * A client's idempotency key for one request (the IETF draft "The Idempotency-Key HTTP Header Field"), with the
 * SHA-256 of what was asked: a repeat carries both unchanged; the same key with another request is the client's
 * mistake.
 *
 * @param key            what the client sent: 1 to 255 printable ASCII characters (a UUID, typically)
 * @param requestSha256  the SHA-256 of the request it came with, in hex
 */
public record RequestKey(String key, String requestSha256) {

    public static final int MAX_KEY = 255;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1," + MAX_KEY + "}");

    public RequestKey {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to " + MAX_KEY
                    + " printable ASCII characters without spaces (a UUID, say)");
        }
    }
}
