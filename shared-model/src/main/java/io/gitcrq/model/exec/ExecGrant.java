package io.gitcrq.model.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.model.event.ExecRequested;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * An exec grant: proof that an authenticated person may have one {@link ExecRequested} run. crq-service signs it
 * ({@link ExecGrantSigner}) after checking the user's roles and the CRQ; exec-agent runs a Kafka request only when its
 * grant verifies ({@link ExecGrantVerifier}). On the wire it is a compact JWS (RFC 7515), header
 * {@code {"alg":"EdDSA","typ":"gitcrq-exec-grant+jwt","kid":<Ed25519 fingerprint>}}, signed with Ed25519, claims:
 * <ul>
 *   <li>{@code iss}: the signing service; {@code sub}: the user; {@code aud}: the host that may run it;</li>
 *   <li>{@code roles}: the user's roles when it was signed; {@code jti}: the exec id; {@code crq}: the CRQ id;</li>
 *   <li>{@code req}: {@link #digest} of the request's fields that decide what runs, so none can be swapped;</li>
 *   <li>{@code iat}, {@code exp}: seconds since the epoch; a grant is short-lived, it is not a session.</li>
 * </ul>
 */
public record ExecGrant(
        String issuer,
        String subject,
        String audience,
        Set<String> roles,
        String execId,
        String crqId,
        String requestDigest,
        Instant issuedAt,
        Instant expiresAt) {

    public static final String ALGORITHM = "EdDSA";
    public static final String TYPE = "gitcrq-exec-grant+jwt";

    /** Tells this digest form from any later one; part of what is hashed. */
    private static final String DIGEST_VERSION = "gitcrq-exec-request-v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ExecGrant {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /**
     * {@code sha256:} and the hex SHA-256 of the request's fields that decide what runs, as the UTF-8 of the JSON
     * array {@code ["gitcrq-exec-request-v1", session, pane, command, cwd, crqId, branch, audit, auditPaths]}: null
     * stays null (a missing {@code audit} means the host's defaults, an empty one none — not the same request).
     * Host and exec id are checked as the grant's audience and id, the user as its subject.
     */
    public static String digest(ExecRequested request) {
        List<Object> fields = Arrays.asList(
                DIGEST_VERSION,
                request.session(),
                request.pane(),
                request.command(),
                request.cwd(),
                request.crqId(),
                request.branch(),
                request.audit(),
                request.auditPaths());
        try {
            byte[] canonical = JSON.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest an exec request", e);
        }
    }
}
