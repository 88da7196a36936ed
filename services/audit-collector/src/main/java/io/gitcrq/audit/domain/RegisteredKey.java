package io.gitcrq.audit.domain;

import io.gitcrq.model.signature.Ed25519;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A host key as registered with audit-collector ({@code audit_host_key}); revoked ones included. */
public record RegisteredKey(
        String host,
        String fingerprint,
        String publicKeyPem,
        String registeredBy,
        Instant registeredAt,
        String revokedBy,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Parsed once per key: every event of a host is checked with it. */
    private static final Map<String, PublicKey> PARSED = new ConcurrentHashMap<>();

    public PublicKey publicKey() {
        return PARSED.computeIfAbsent(publicKeyPem, Ed25519::parsePublicKey);
    }
}
