package io.gitcrq.model.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Verifies exec grants ({@link ExecGrant}) against the keys trusted to sign them (several, so a signing key can be
 * rotated) and against the request they came with: a grant proves nothing unless it is signed by a trusted key, valid
 * now (give or take {@code clockSkew}), for this host, this exec, this user, this CRQ and exactly this request. Every
 * refusal says which of these failed; none holds the token.
 */
public final class ExecGrantVerifier {

    /** Why a grant was refused. */
    public enum Refusal {
        MISSING,
        MALFORMED,
        UNTRUSTED_KEY,
        BAD_SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        OTHER_HOST,
        EXEC_ID_MISMATCH,
        USER_MISMATCH,
        CRQ_MISMATCH,
        DIGEST_MISMATCH
    }

    /** A verified grant, or the refusal and a message saying why (never the token). */
    public record Verdict(ExecGrant grant, Refusal refusal, String reason) {
        public boolean verified() {
            return refusal == null;
        }

        static Verdict refused(Refusal refusal, String reason) {
            return new Verdict(
                    null,
                    refusal,
                    "exec grant refused (" + refusal.name().toLowerCase(java.util.Locale.ROOT) + "): " + reason);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder URL = Base64.getUrlDecoder();

    private final Map<String, PublicKey> trusted;
    private final Duration clockSkew;
    private final Clock clock;

    public ExecGrantVerifier(Collection<PublicKey> trustedKeys, Duration clockSkew, Clock clock) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (PublicKey key : trustedKeys) {
            byId.put(Ed25519.fingerprint(key), key);
        }
        this.trusted = Map.copyOf(byId);
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** True when no key is trusted: then every grant is refused. */
    public boolean trustsNoKey() {
        return trusted.isEmpty();
    }

    /** Whether {@code token} grants that {@code request} runs on {@code host}. */
    public Verdict verify(String token, ExecRequested request, String host) {
        if (token == null || token.isBlank()) {
            return Verdict.refused(Refusal.MISSING, "the request carries no grant");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Verdict.refused(Refusal.MALFORMED, "not a compact JWS");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = JSON.readTree(URL.decode(parts[0]));
            claims = JSON.readTree(URL.decode(parts[1]));
            signature = URL.decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            return Verdict.refused(Refusal.MALFORMED, "not a compact JWS");
        }
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            return Verdict.refused(Refusal.MALFORMED, "not a compact JWS");
        }
        if (!ExecGrant.ALGORITHM.equals(header.path("alg").asText())
                || !ExecGrant.TYPE.equals(header.path("typ").asText())) {
            return Verdict.refused(
                    Refusal.MALFORMED,
                    "not an exec grant (alg " + ExecGrant.ALGORITHM + ", typ " + ExecGrant.TYPE + ")");
        }
        String keyId = header.path("kid").asText("");
        PublicKey key = trusted.get(keyId);
        if (key == null) {
            return Verdict.refused(
                    Refusal.UNTRUSTED_KEY, "signed by key " + printable(keyId) + ", which is not trusted here");
        }
        String signingInput = parts[0] + "." + parts[1];
        if (!Ed25519.verify(key, signingInput, Base64.getEncoder().encodeToString(signature))) {
            return Verdict.refused(Refusal.BAD_SIGNATURE, "the signature does not verify with key " + keyId);
        }
        ExecGrant grant;
        try {
            grant = claimsOf(claims);
        } catch (IllegalArgumentException e) {
            return Verdict.refused(Refusal.MALFORMED, e.getMessage());
        }
        Instant now = clock.instant();
        if (!now.isBefore(grant.expiresAt().plus(clockSkew))) {
            return Verdict.refused(Refusal.EXPIRED, "expired at " + grant.expiresAt());
        }
        if (now.plus(clockSkew).isBefore(grant.issuedAt())) {
            return Verdict.refused(Refusal.NOT_YET_VALID, "issued at " + grant.issuedAt() + ", later than now");
        }
        if (!grant.audience().equals(host)) {
            return Verdict.refused(Refusal.OTHER_HOST, "for host " + grant.audience() + ", not " + host);
        }
        if (!grant.execId().equals(request.execId())) {
            return Verdict.refused(
                    Refusal.EXEC_ID_MISMATCH, "for exec " + grant.execId() + ", not " + request.execId());
        }
        if (!grant.subject().equals(request.requestedBy())) {
            return Verdict.refused(
                    Refusal.USER_MISMATCH, "for user " + grant.subject() + ", not " + request.requestedBy());
        }
        if (!grant.crqId().equals(request.crqId())) {
            return Verdict.refused(Refusal.CRQ_MISMATCH, "for " + grant.crqId() + ", not " + request.crqId());
        }
        if (!grant.requestDigest().equals(ExecGrant.digest(request))) {
            return Verdict.refused(
                    Refusal.DIGEST_MISMATCH,
                    "signed for another request (session, pane, command, cwd, branch or audit sources differ)");
        }
        return new Verdict(grant, null, null);
    }

    private static ExecGrant claimsOf(JsonNode claims) {
        Set<String> roles = new HashSet<>();
        JsonNode roleNodes = claims.path("roles");
        if (!roleNodes.isArray()) {
            throw new IllegalArgumentException("the grant names no roles");
        }
        roleNodes.forEach(r -> roles.add(r.asText()));
        return new ExecGrant(
                text(claims, "iss"),
                text(claims, "sub"),
                text(claims, "aud"),
                roles,
                text(claims, "jti"),
                text(claims, "crq"),
                text(claims, "req"),
                Instant.ofEpochSecond(seconds(claims, "iat")),
                Instant.ofEpochSecond(seconds(claims, "exp")));
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("the grant has no claim " + name);
        }
        return value.asText();
    }

    private static long seconds(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("the grant has no numeric claim " + name);
        }
        return value.asLong();
    }

    /** A key id from an unverified header, cut short and to safe characters: it ends up in logs. */
    private static String printable(String keyId) {
        String safe = keyId.replaceAll("[^A-Za-z0-9:+/=_-]", "?");
        return safe.length() > 60 ? safe.substring(0, 60) + "…" : safe.isEmpty() ? "(none)" : safe;
    }
}
