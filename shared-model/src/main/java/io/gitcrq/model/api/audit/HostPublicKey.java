package io.gitcrq.model.api.audit;

/**
 * An exec-agent's audit signing key as the agent shows it ({@code GET /host-key} on the agent, admin only): the host
 * it signs for, the key's fingerprint (the {@code keyId} of its events) and the public key as PEM, which is what
 * {@code POST /audit/hosts} registers.
 */
public record HostPublicKey(String host, String fingerprint, String publicKey) {}
