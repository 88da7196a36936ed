package io.gitcrq.kit.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An identity provider for tests: a signing key of its own, its public half served as a JWKS by an HTTP server on
 * 127.0.0.1, and tokens minted on demand ({@link #token(String, String...)}, {@link #tokenFor(String)}). Points the
 * service at it ({@code gitcrq.auth.token.issuer}, {@code jwks-url}, {@code audience}); one issuer per test JVM. Use
 * with {@code @QuarkusTestResource(TokenIssuerTestResource.class)}.
 */
public class TokenIssuerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://issuer.gitcrq.test";
    public static final String AUDIENCE = "gitcrq";

    private static Issuer issuer;

    /** The issuer of this JVM, started on first use. */
    public static synchronized Issuer issuer() {
        if (issuer == null) {
            issuer = new Issuer();
            Issuer started = issuer;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-token-issuer-shutdown"));
        }
        return issuer;
    }

    /** A valid token for {@code user} with {@code roles}. */
    public static String token(String user, String... roles) {
        return tokenFor(user).roles(roles).sign();
    }

    /** A token to shape: valid unless told otherwise. */
    public static Token tokenFor(String user) {
        return new Token(issuer(), user);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "gitcrq.auth.token.issuer", ISSUER,
                "gitcrq.auth.token.jwks-url", issuer().jwksUrl(),
                "gitcrq.auth.token.audience", AUDIENCE);
    }

    @Override
    public void stop() {
        // The issuer outlives one application: the next test class of this JVM reuses it (and the service's JWKS
        // cache).
    }

    /** The key pair and the JWKS server. */
    public static final class Issuer implements AutoCloseable {
        private final RsaJsonWebKey key;
        private final HttpServer server;

        Issuer() {
            try {
                key = newKey("gitcrq-test-key");
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] jwks = new JsonWebKeySet(key)
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    .getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.start();
        }

        public String jwksUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static RsaJsonWebKey newKey(String keyId) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(keyId);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One token's claims, to be signed. */
    public static final class Token {
        private final Issuer issuer;
        private final String user;
        private List<String> roles = List.of();
        private String iss = ISSUER;
        private String audience = AUDIENCE;
        private String userClaim = "preferred_username";
        private Instant expires = Instant.now().plus(Duration.ofMinutes(10));
        private boolean foreignKey;

        Token(Issuer issuer, String user) {
            this.issuer = issuer;
            this.user = user;
        }

        public Token roles(String... roles) {
            this.roles = List.of(roles);
            return this;
        }

        /** Claims to come from another issuer. */
        public Token issuer(String iss) {
            this.iss = iss;
            return this;
        }

        public Token audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** The claim carrying the user name (null: none). */
        public Token userClaim(String claim) {
            this.userClaim = claim;
            return this;
        }

        public Token expiresAt(Instant expires) {
            this.expires = expires;
            return this;
        }

        /** Signed with a key the JWKS does not have (same key id): a forgery. */
        public Token signedByAStranger() {
            this.foreignKey = true;
            return this;
        }

        public String sign() {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(iss);
            claims.setAudience(audience);
            claims.setSubject("subject-" + user);
            if (userClaim != null) {
                claims.setClaim(userClaim, user);
            }
            claims.setStringListClaim("groups", roles);
            claims.setIssuedAt(NumericDate.fromSeconds(
                    Math.min(expires.getEpochSecond(), Instant.now().getEpochSecond()) - 60));
            claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
            claims.setJwtId(UUID.randomUUID().toString());
            RsaJsonWebKey signingKey = foreignKey ? newKey(issuer.key.getKeyId()) : issuer.key;
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(signingKey.getPrivateKey());
            jws.setKeyIdHeaderValue(signingKey.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
