package io.gitcrq.model.api.mcp;

import java.time.Instant;

/**
 * A CRQ-scoped token: {@code token} only in the answer that made it (the server keeps its hash alone), null wherever
 * a token is shown again. {@code id} names it for revocation (DELETE /crq-tokens/{id}).
 */
public record CrqTokenView(String id, String token, String crqId, String user, Instant expiresAt) {

    @Override
    public String toString() {
        return "CrqTokenView[" + id + " " + crqId + " " + user + " until " + expiresAt + "]"; // never the token
    }
}
