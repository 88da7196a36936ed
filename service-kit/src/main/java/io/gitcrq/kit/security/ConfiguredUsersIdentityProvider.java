package io.gitcrq.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks HTTP Basic credentials against the users of {@link UsersConfig}, in the local profiles only (dev, test,
 * local): in production basic authentication is off, every basic credential is refused (401), and
 * {@link ProductionAuthCheck} refuses to start with users configured.
 */
@ApplicationScoped
public class ConfiguredUsersIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final UsersConfig config;
    private final boolean enabled;

    @Inject
    public ConfiguredUsersIdentityProvider(UsersConfig config) {
        this(config, ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getProfiles());
    }

    ConfiguredUsersIdentityProvider(UsersConfig config, Collection<String> activeProfiles) {
        this.config = config;
        this.enabled = AuthProfiles.isLocal(activeProfiles);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!enabled) {
            return Uni.createFrom().failure(new AuthenticationFailedException("basic authentication is off"));
        }
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
