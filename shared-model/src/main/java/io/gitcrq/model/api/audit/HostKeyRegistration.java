package io.gitcrq.model.api.audit;

/** {@code POST /audit/hosts}: the Ed25519 public key (PEM) whose signatures audit events of {@code host} must carry. */
public record HostKeyRegistration(String host, String publicKey) {}
