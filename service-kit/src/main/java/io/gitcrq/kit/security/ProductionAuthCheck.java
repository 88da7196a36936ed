package io.gitcrq.kit.security;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service in a production profile (any but dev, test and local) that has HTTP basic users
 * configured ({@code gitcrq.auth.users.*}): production logs in with bearer tokens only. Also refuses a token
 * configuration that would accept tokens of any issuer or audience. Runs before anything else at startup.
 */
@ApplicationScoped
public class ProductionAuthCheck {

    /** Before the database bootstrap (10) and everything after it. */
    public static final int PRIORITY = 1;

    private static final Logger LOG = Logger.getLogger(ProductionAuthCheck.class);

    /** smallrye-jwt's value for a setting that is not set. */
    static final String NOT_SET = "NONE";

    private final UsersConfig users;
    private final TokenConfig token;

    public ProductionAuthCheck(UsersConfig users, TokenConfig token) {
        this.users = users;
        this.token = token;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        List<String> profiles =
                ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getProfiles();
        List<String> refusals = refusals(profiles, users.users().keySet(), token);
        if (!refusals.isEmpty()) {
            throw new IllegalStateException(String.join("\n", refusals));
        }
        if (!AuthProfiles.isLocal(profiles) && set(token.jwksUrl()).isEmpty()) {
            LOG.warnf(
                    "no token issuer configured (gitcrq.auth.token.issuer, jwks-url, audience) in profile %s: "
                            + "every REST call but the webhooks and /q/health will be refused (401)",
                    profiles);
        }
    }

    /** What is wrong with this authentication configuration in these profiles; empty when it may start. */
    public static List<String> refusals(Collection<String> profiles, Collection<String> userNames, TokenConfig token) {
        List<String> refusals = new ArrayList<>();
        if (AuthProfiles.isLocal(profiles)) {
            return refusals;
        }
        if (!userNames.isEmpty()) {
            refusals.add("refusing to start: HTTP basic users are configured (gitcrq.auth.users: "
                    + String.join(", ", new TreeSet<>(userNames)) + ") in the production profile " + profiles
                    + ". Basic users exist only in the dev, test and local profiles; production takes bearer tokens "
                    + "from an identity provider (gitcrq.auth.token.*, see docs/guide/authentication.md). Remove "
                    + "the gitcrq.auth.users.* keys, or run with quarkus.profile=local on a machine of your own.");
        }
        if (set(token.jwksUrl()).isPresent()) {
            missing(token.issuer(), "gitcrq.auth.token.issuer", "of any issuer", refusals);
            missing(token.audience(), "gitcrq.auth.token.audience", "meant for any audience", refusals);
        }
        return refusals;
    }

    /**
     * A token setting that is really set: not blank, and not {@value #NOT_SET}, smallrye-jwt's own "not set" — what
     * docker-compose.yml and k8s pass where no identity provider is configured, since an empty value handed on to
     * smallrye-jwt ({@code mp.jwt.verify.issuer}) stops a service at start.
     */
    static Optional<String> set(Optional<String> value) {
        return value.filter(v -> !v.isBlank() && !NOT_SET.equals(v.strip()));
    }

    private static void missing(Optional<String> value, String key, String what, List<String> refusals) {
        if (set(value).isEmpty()) {
            refusals.add("refusing to start: gitcrq.auth.token.jwks-url is set but " + key + " is not, so tokens "
                    + what + " signed by those keys would be accepted; set " + key + ".");
        }
    }
}
