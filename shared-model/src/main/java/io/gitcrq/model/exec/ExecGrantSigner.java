package io.gitcrq.model.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Signs exec grants ({@link ExecGrant}) with one service's Ed25519 key pair. */
public final class ExecGrantSigner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final KeyPair keys;
    private final String keyId;
    private final Duration ttl;
    private final Clock clock;

    public ExecGrantSigner(String issuer, KeyPair keys, Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("an exec grant's lifetime must be positive, not " + ttl);
        }
        this.issuer = issuer;
        this.keys = keys;
        this.keyId = Ed25519.fingerprint(keys.getPublic());
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The key id grants of this signer carry: the public key's fingerprint. */
    public String keyId() {
        return keyId;
    }

    /** The compact JWS granting {@code user}, holding {@code roles}, that {@code request} runs on its host now. */
    public String sign(ExecRequested request, Set<String> roles) {
        return sign(grant(request, roles));
    }

    /** The claims of a grant for {@code request}, valid from now for this signer's lifetime. */
    public ExecGrant grant(ExecRequested request, Set<String> roles) {
        Instant now = clock.instant();
        return new ExecGrant(
                issuer,
                request.requestedBy(),
                request.host(),
                roles,
                request.execId(),
                request.crqId(),
                ExecGrant.digest(request),
                now,
                now.plus(ttl));
    }

    /** Signs exactly these claims (also how tests make expired or mismatched grants). */
    public String sign(ExecGrant grant) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ExecGrant.ALGORITHM);
        header.put("typ", ExecGrant.TYPE);
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", grant.issuer());
        claims.put("sub", grant.subject());
        claims.put("aud", grant.audience());
        claims.put("roles", new TreeSet<>(grant.roles()));
        claims.put("jti", grant.execId());
        claims.put("crq", grant.crqId());
        claims.put("req", grant.requestDigest());
        claims.put("iat", grant.issuedAt().getEpochSecond());
        claims.put("exp", grant.expiresAt().getEpochSecond());
        String signingInput = part(header) + "." + part(claims);
        byte[] signature = Base64.getDecoder().decode(Ed25519.sign(keys.getPrivate(), signingInput));
        return signingInput + "." + URL.encodeToString(signature);
    }

    private static String part(Map<String, Object> json) {
        try {
            return URL.encodeToString(JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
