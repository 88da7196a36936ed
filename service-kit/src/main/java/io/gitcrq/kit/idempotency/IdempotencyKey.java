package io.gitcrq.kit.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.chain.ChainHash;
import java.util.regex.Pattern;

/**
 * A client's idempotency key for one request (the IETF draft "The Idempotency-Key HTTP Header Field"), with the
 * SHA-256 of what was asked: a repeat carries both unchanged; the same key with another request is the client's
 * mistake.
 *
 * @param key            what the client sent: 1 to 255 printable ASCII characters (a UUID, typically)
 * @param requestSha256  the SHA-256 of the request it came with, in hex
 */
public record IdempotencyKey(String key, String requestSha256) {

    /** The request header that carries it. */
    public static final String HEADER = "Idempotency-Key";
    /** Set on the answer to a repeat (as Stripe does): what it shows was done by an earlier try. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public static final int MAX_KEY = 255;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1," + MAX_KEY + "}");

    public IdempotencyKey {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidRequestException(
                    HEADER + " must be 1 to " + MAX_KEY + " printable ASCII characters without spaces (a UUID, say)");
        }
    }

    /**
     * The key a request came with, or null when it came without one; what tells a repeat of the request from another
     * request is the SHA-256 of its JSON (an API record, as the service read it).
     */
    public static IdempotencyKey of(String header, Object request) {
        if (header == null) {
            return null;
        }
        try {
            return new IdempotencyKey(header, ChainHash.sha256(ApiJson.mapper().writeValueAsString(request)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request read from JSON could not be written as JSON", e);
        }
    }
}
