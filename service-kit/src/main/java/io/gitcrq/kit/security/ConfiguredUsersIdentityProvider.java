package io.gitcrq.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks HTTP Basic credentials against the users of {@link UsersConfig}. */
@ApplicationScoped
public class ConfiguredUsersIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final UsersConfig config;

    public ConfiguredUsersIdentityProvider(UsersConfig config) {
        this.config = config;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        UsersConfig.User user = config.users().get(request.getUsername());
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        // Compare in constant time, and also for unknown users, so timing does not tell which names exist.
        byte[] expected = (user == null ? "\u0000unknown" : user.password()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected) || user == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(request.getUsername()))
                        .addRoles(user.roles())
                        .build());
    }
}
