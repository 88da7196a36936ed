package io.gitcrq.kit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Bearer tokens (OIDC/JWT) a service accepts: {@code gitcrq.auth.token.*}. service-kit's defaults hand the issuer,
 * JWKS URL, audience and roles claim to smallrye-jwt ({@code mp.jwt.verify.*}, {@code smallrye.jwt.path.groups});
 * {@link TokenUserAugmentor} takes the user name from {@link #userClaim()}.
 */
@ConfigMapping(prefix = "gitcrq.auth.token")
public interface TokenConfig {

    /** The {@code iss} every accepted token carries (e.g. {@code https://sso.example.com/realms/gitcrq}). */
    Optional<String> issuer();

    /** Where the issuer publishes its signing keys as a JWKS (an {@code https:} URL, or a file). */
    Optional<String> jwksUrl();

    /** The {@code aud} an accepted token must name (comma-separated: any of them). */
    Optional<String> audience();

    /** The claim holding the user's roles (a JSON array or a string); a path for a nested one: {@code realm_access/roles}. */
    @WithDefault("groups")
    String rolesClaim();

    /** The claim holding the user name gitcrq records (requester, approver, who ran a command). */
    @WithDefault("preferred_username")
    String userClaim();
}
