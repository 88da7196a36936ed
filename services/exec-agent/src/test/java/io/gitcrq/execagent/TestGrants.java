package io.gitcrq.execagent;

import io.gitcrq.kit.signing.SigningKeyFile;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.exec.ExecGrant;
import io.gitcrq.model.exec.ExecGrantSigner;
import io.gitcrq.model.signature.Ed25519;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Exec grants as crq-service would sign them, with a key pair of the tests' own (made under {@code target/} on first
 * use, shared by every class loader of the JVM through its file), whose public half the test agent trusts
 * ({@link TestTmuxResource}); and grants no agent should run: expired, forged, for another host or request.
 */
public final class TestGrants {

    /** The roles of the development users, as crq-service would put them into their grants. */
    private static final Map<String, Set<String>> ROLES = Map.of(
            "alice",
            Set.of("requester"),
            "dave",
            Set.of("requester"),
            "bob",
            Set.of("approver"),
            "admin",
            Set.of("admin"));

    private static final SigningKeyFile KEY_FILE = new SigningKeyFile(
            Path.of("target", "test-exec-grants", "crq-service.key").toAbsolutePath());

    private TestGrants() {}

    /** What the test agent's {@code gitcrq.exec.grant.trusted-keys} names. */
    public static String trustedKeyFile() {
        KEY_FILE.loadOrCreate();
        return KEY_FILE.publicKeyFile().toString();
    }

    /** {@code request} with a valid grant for its user, host and fields. */
    public static ExecRequested granted(ExecRequested request) {
        return request.withGrant(signer(KEY_FILE.loadOrCreate()).sign(request, rolesOf(request.requestedBy())));
    }

    /** {@code request} with a grant that expired a minute ago (beyond the agent's clock skew). */
    public static ExecRequested expired(ExecRequested request) {
        Instant now = Instant.now();
        return request.withGrant(signer(KEY_FILE.loadOrCreate())
                .sign(claims(request, request.host(), now.minus(Duration.ofMinutes(10)), now.minusSeconds(60))));
    }

    /** {@code request} with a grant of a key nobody trusts, naming admin. */
    public static ExecRequested forged(ExecRequested request) {
        return request.withGrant(signer(Ed25519.generate()).sign(request, Set.of("admin")));
    }

    /** {@code request} with a valid grant for another host. */
    public static ExecRequested forHost(ExecRequested request, String host) {
        Instant now = Instant.now();
        return request.withGrant(
                signer(KEY_FILE.loadOrCreate()).sign(claims(request, host, now, now.plus(Duration.ofMinutes(5)))));
    }

    /** {@code request} with the grant of {@code signedFor}: another request, e.g. with another command. */
    public static ExecRequested swapped(ExecRequested request, ExecRequested signedFor) {
        return request.withGrant(granted(signedFor).grant());
    }

    private static ExecGrant claims(ExecRequested request, String host, Instant issuedAt, Instant expiresAt) {
        return new ExecGrant(
                "crq-service",
                request.requestedBy(),
                host,
                rolesOf(request.requestedBy()),
                request.execId(),
                request.crqId(),
                ExecGrant.digest(request),
                issuedAt,
                expiresAt);
    }

    private static Set<String> rolesOf(String user) {
        return ROLES.getOrDefault(user, Set.of());
    }

    private static ExecGrantSigner signer(KeyPair keys) {
        return new ExecGrantSigner("crq-service", keys, Duration.ofMinutes(5), Clock.systemUTC());
    }
}
