package io.gitcrq.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Names a caller who logged in with a bearer token by the claim {@code gitcrq.auth.token.user-claim} (default
 * {@code preferred_username}), the name gitcrq records as requester, approver or the user who ran a command. A token
 * without that claim is refused (401): gitcrq does not guess who someone is. Basic-auth identities pass unchanged.
 */
@ApplicationScoped
public class TokenUserAugmentor implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(TokenUserAugmentor.class);

    private final String userClaim;

    public TokenUserAugmentor(TokenConfig config) {
        this.userClaim = config.userClaim();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String name = userName(token, userClaim);
        if (name == null) {
            LOG.warnf(
                    "refused a token of subject %s from %s: it has no string claim '%s' (gitcrq.auth.token.user-claim)",
                    token.getSubject(), token.getIssuer(), userClaim);
            return Uni.createFrom().failure(new AuthenticationFailedException("token without claim " + userClaim));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity)
                        .setPrincipal(new QuarkusPrincipal(name))
                        .build());
    }

    /** The claim's value as a non-blank string, else null. */
    static String userName(JsonWebToken token, String claim) {
        Object value = token.getClaim(claim);
        if (value instanceof jakarta.json.JsonString json) {
            value = json.getString();
        }
        return value instanceof String text && !text.isBlank() ? text.trim() : null;
    }
}
