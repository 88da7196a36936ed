package io.gitcrq.mcp.rest;

import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.service.CrqTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Takes {@code Authorization: Bearer gcqt_…}, a CRQ-scoped token ({@link CrqTokens}): the caller is the token's maker,
 * with their roles, acting on the token's CRQ alone ({@link #CALLER} holds that {@link Caller}). Any other credential
 * (HTTP basic, a JWT) is left to the other mechanisms: this one answers before smallrye-jwt's, which would refuse a
 * token that is no JWT. An unknown, expired or revoked token is 401.
 */
@ApplicationScoped
public class CrqTokenAuthentication implements HttpAuthenticationMechanism {

    /** The identity's attribute holding the {@link Caller} a CRQ-scoped token stands for. */
    static final String CALLER = "gitcrq.mcp.crq-token-caller";

    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = header.substring(BEARER.length()).strip();
        if (!token.startsWith(CrqTokens.PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new Request(token));
    }

    /** No challenge of its own: service-kit's ProblemChallenge answers for every mechanism. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Request.class);
    }

    /** After HTTP basic (2000), before bearer JWTs (the default, 1000). */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }

    /** A CRQ-scoped token to look up. */
    static final class Request extends BaseAuthenticationRequest {
        final String token;

        Request(String token) {
            this.token = token;
        }
    }

    /** Looks a token up in the database (blocking, off the event loop). */
    @ApplicationScoped
    static class Provider implements IdentityProvider<Request> {

        private final CrqTokens tokens;

        Provider(CrqTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public Class<Request> getRequestType() {
            return Request.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Request request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> tokens.callerOf(request.token)
                    .map(caller -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(caller.name()))
                            .addRoles(caller.roles())
                            .addAttribute(CALLER, caller)
                            .build())
                    .orElseThrow(() -> new AuthenticationFailedException("unknown or expired CRQ token")));
        }
    }
}
