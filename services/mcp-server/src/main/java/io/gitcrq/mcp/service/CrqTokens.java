package io.gitcrq.mcp.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.secret.SecretBox;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.domain.CrqToken;
import io.gitcrq.mcp.repository.CrqTokenRepository;
import io.gitcrq.model.api.mcp.CrqTokenView;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * CRQ-scoped tokens: made by a person for one CRQ they can see, they let an agent call the MCP server as that person
 * on that CRQ alone until they expire or are revoked. A token is {@value #PREFIX} and 32 random bytes (base64url);
 * only its SHA-256 is stored, with the maker's roles and their Authorization header sealed ({@link SecretBox}, bound to
 * the token's id), which the tools forward to the owning services: those decide every call as for the person.
 */
@ApplicationScoped
public class CrqTokens {

    /** How every CRQ-scoped token begins: what tells it from a JWT at the door. */
    public static final String PREFIX = "gcqt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CrqTokenRepository tokens;
    private final SecretBox box;
    private final GitcrqActions actions;

    public CrqTokens(CrqTokenRepository tokens, SecretBox box, GitcrqActions actions) {
        this.tokens = tokens;
        this.box = box;
        this.actions = actions;
    }

    /** A service that keeps sealed credentials does not start without the key to seal them. */
    void requireKey(@Observes StartupEvent started) {
        box.requireKey();
    }

    /**
     * A new token for the caller on {@code crqId}, valid for {@code validFor}: the CRQ must be one crq-service shows
     * them (its refusal or 404 comes back as is). A CRQ-scoped caller makes none.
     */
    @Transactional
    public CrqTokenView make(Caller caller, String crqId, Duration validFor) {
        if (caller.scoped()) {
            throw new NotPermittedException("a CRQ-scoped token cannot make tokens");
        }
        JsonNode crq = actions.crqShow(caller, crqId);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CrqToken row = new CrqToken();
        row.id = UUID.randomUUID();
        row.tokenHash = sha256(token);
        row.userName = caller.name();
        row.roles = String.join(",", new TreeSet<>(caller.roles()));
        row.crqId = crq.path("id").asText(crqId);
        row.credential = box.seal(caller.authorization(), row.id.toString());
        row.createdAt = now;
        row.expiresAt = now.plus(validFor);
        tokens.persist(row);
        return new CrqTokenView(row.id.toString(), token, row.crqId, row.userName, row.expiresAt);
    }

    /** The caller a token stands for: one of ours, not expired and not revoked; empty otherwise. */
    @Transactional
    public Optional<Caller> callerOf(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return tokens.findByHash(sha256(token))
                .filter(row -> !row.expiredAt(now))
                .map(row -> new Caller(
                        row.userName,
                        row.roles.isEmpty() ? Set.of() : Set.of(row.roles.split(",")),
                        box.open(row.credential, row.id.toString()),
                        row.crqId));
    }

    /** Revokes a token: its maker or an admin may; 404 for a token that is not there (or not theirs to see). */
    @Transactional
    public void revoke(Caller caller, String id) {
        CrqToken row = parse(id)
                .flatMap(tokens::byId)
                .filter(t -> t.userName.equals(caller.name()) || caller.roles().contains("admin"))
                .orElseThrow(() -> new EntityNotFoundException("no CRQ token " + id));
        if (caller.scoped()) {
            throw new NotPermittedException("a CRQ-scoped token cannot revoke tokens");
        }
        tokens.delete(row);
    }

    /** Deletes expired tokens (their sealed credentials with them), hourly. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void deleteExpired() {
        tokens.deleteExpired(Instant.now());
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
