package io.gitcrq.gitwatcher.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Git hosts whose push webhooks git-watcher understands, each as its documentation describes them: the
 * header naming the event, the header proving the delivery came from the host (an HMAC-SHA256 of the raw
 * body made with the webhook secret, or the secret token itself) and where the payload names the repository.
 */
public enum GitHost {

    /** {@code X-Hub-Signature-256: sha256=<hex>}; the repository is {@code repository.full_name}. */
    GITHUB(
            "GitHub",
            "X-GitHub-Event",
            "push",
            "ping",
            "X-GitHub-Delivery",
            "X-Hub-Signature-256",
            Proof.HMAC_SHA256_PREFIXED,
            "repository",
            "full_name"),

    /** {@code X-Gitlab-Token: <secret>}; the repository is {@code project.path_with_namespace}. */
    GITLAB(
            "GitLab",
            "X-Gitlab-Event",
            "Push Hook",
            null,
            "X-Gitlab-Event-UUID",
            "X-Gitlab-Token",
            Proof.TOKEN,
            "project",
            "path_with_namespace"),

    /** {@code X-Gitea-Signature: <hex>}; the repository is {@code repository.full_name}. */
    GITEA(
            "Gitea",
            "X-Gitea-Event",
            "push",
            null,
            "X-Gitea-Delivery",
            "X-Gitea-Signature",
            Proof.HMAC_SHA256_HEX,
            "repository",
            "full_name");

    /** How a delivery proves that it was made with the repository's webhook secret. */
    enum Proof {
        /** {@code sha256=} and the hex HMAC-SHA256 of the raw body. */
        HMAC_SHA256_PREFIXED,
        /** The hex HMAC-SHA256 of the raw body. */
        HMAC_SHA256_HEX,
        /** The secret itself (GitLab's secret token). */
        TOKEN
    }

    private static final String SHA256_PREFIX = "sha256=";

    private final String displayName;
    private final String eventHeader;
    private final String pushEvent;
    private final String pingEvent;
    private final String deliveryHeader;
    private final String proofHeader;
    private final Proof proof;
    private final String repoObject;
    private final String repoField;

    GitHost(
            String displayName,
            String eventHeader,
            String pushEvent,
            String pingEvent,
            String deliveryHeader,
            String proofHeader,
            Proof proof,
            String repoObject,
            String repoField) {
        this.displayName = displayName;
        this.eventHeader = eventHeader;
        this.pushEvent = pushEvent;
        this.pingEvent = pingEvent;
        this.deliveryHeader = deliveryHeader;
        this.proofHeader = proofHeader;
        this.proof = proof;
        this.repoObject = repoObject;
        this.repoField = repoField;
    }

    public String displayName() {
        return displayName;
    }

    public String eventHeader() {
        return eventHeader;
    }

    public String deliveryHeader() {
        return deliveryHeader;
    }

    /** The header carrying the signature (or token) made with the webhook secret. */
    public String proofHeader() {
        return proofHeader;
    }

    public boolean isPush(String event) {
        return pushEvent.equalsIgnoreCase(event);
    }

    /** The host's check that a new webhook reaches us (GitHub's {@code ping}): answered, nothing polled. */
    public boolean isPing(String event) {
        return pingEvent != null && pingEvent.equalsIgnoreCase(event);
    }

    /** Where the payload names the repository, for messages: {@code repository.full_name}. */
    public String repoNamePath() {
        return repoObject + "." + repoField;
    }

    /** The repository the payload names, as the host calls it (e.g. {@code acme/demo}). */
    public Optional<String> repoName(JsonNode payload) {
        JsonNode name = payload.path(repoObject).path(repoField);
        return name.isTextual() && !name.asText().isBlank()
                ? Optional.of(name.asText().trim())
                : Optional.empty();
    }

    /**
     * Whether {@code presented} (the value of {@link #proofHeader()}) was made with {@code secret} for
     * exactly these body bytes. Compared in constant time: how much of it matched never shows in how long
     * the answer takes.
     */
    public boolean verify(String secret, String presented, byte[] body) {
        if (secret == null || secret.isEmpty() || presented == null) {
            return false;
        }
        String value = presented.trim();
        return switch (proof) {
            case TOKEN -> MessageDigest.isEqual(sha256(value), sha256(secret));
            case HMAC_SHA256_PREFIXED ->
                value.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())
                        && hexEquals(hmacSha256(secret, body), value.substring(SHA256_PREFIX.length()));
            case HMAC_SHA256_HEX -> hexEquals(hmacSha256(secret, body), value);
        };
    }

    /** What a delivery without {@link #proofHeader()} is told. */
    public String missingProof() {
        return proof == Proof.TOKEN
                ? "no " + proofHeader + " header: give the " + displayName
                        + " webhook the repository's webhook secret as its secret token"
                : "no " + proofHeader + " header: give the " + displayName + " webhook the repository's webhook secret";
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean hexEquals(byte[] expected, String hex) {
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(expected, presented);
    }

    // Digests of equal length, so that the comparison does not even tell the token's length.
    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
