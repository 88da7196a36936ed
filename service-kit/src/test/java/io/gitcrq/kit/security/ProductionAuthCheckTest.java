package io.gitcrq.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production profile takes bearer tokens only: a service with basic users configured refuses to start, and basic
 * credentials are refused even if users slipped through. Read from service-kit's real defaults with SmallRye Config.
 */
class ProductionAuthCheckTest {

    private static final String ALICE = "gitcrq.auth.users.\"alice\".";

    @Test
    void productionWithTheShippedDefaultsStarts() {
        SmallRyeConfig config = config("prod", Map.of());
        assertThat(refusals(config, "prod")).isEmpty();
    }

    @Test
    void productionWithUsersConfiguredRefusesToStartNamingThem() {
        SmallRyeConfig config = config("prod", Map.of(ALICE + "password", "secret", ALICE + "roles", "admin"));
        List<String> refusals = refusals(config, "prod");
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0))
                .startsWith("refusing to start: HTTP basic users are configured (gitcrq.auth.users: alice)")
                .contains("only in the dev, test and local profiles")
                .contains("gitcrq.auth.token");
    }

    @Test
    void anyProfileButTheLocalOnesIsProduction() {
        SmallRyeConfig config = config("staging", Map.of(ALICE + "password", "secret", ALICE + "roles", "admin"));
        assertThat(refusals(config, "staging")).hasSize(1);
    }

    @Test
    void theLocalProfilesHaveTheirDevelopmentUsers() {
        for (String profile : List.of("dev", "test", "local")) {
            SmallRyeConfig config = config(profile, Map.of());
            assertThat(config.getConfigMapping(UsersConfig.class).users())
                    .as(profile)
                    .containsKey("alice");
            assertThat(refusals(config, profile)).as(profile).isEmpty();
        }
    }

    @Test
    void aJwksWithoutIssuerOrAudienceIsRefused() {
        SmallRyeConfig config = config("prod", Map.of("gitcrq.auth.token.jwks-url", "https://sso.example/jwks"));
        assertThat(refusals(config, "prod"))
                .hasSize(2)
                .anySatisfy(r -> assertThat(r).contains("set gitcrq.auth.token.issuer"))
                .anySatisfy(r -> assertThat(r).contains("set gitcrq.auth.token.audience"));
        SmallRyeConfig complete = config(
                "prod",
                Map.of(
                        "gitcrq.auth.token.jwks-url", "https://sso.example/jwks",
                        "gitcrq.auth.token.issuer", "https://sso.example",
                        "gitcrq.auth.token.audience", "gitcrq"));
        assertThat(refusals(complete, "prod")).isEmpty();
    }

    @Test
    void tokenSettingsReachSmallryeJwt() {
        SmallRyeConfig config = config(
                "prod",
                Map.of(
                        "gitcrq.auth.token.jwks-url", "https://sso.example/jwks",
                        "gitcrq.auth.token.issuer", "https://sso.example",
                        "gitcrq.auth.token.audience", "gitcrq",
                        "gitcrq.auth.token.roles-claim", "realm_access/roles"));
        assertThat(config.getValue("mp.jwt.verify.publickey.location", String.class))
                .isEqualTo("https://sso.example/jwks");
        assertThat(config.getValue("mp.jwt.verify.issuer", String.class)).isEqualTo("https://sso.example");
        assertThat(config.getValue("mp.jwt.verify.audiences", String.class)).isEqualTo("gitcrq");
        assertThat(config.getValue("smallrye.jwt.path.groups", String.class)).isEqualTo("realm_access/roles");
        assertThat(config.getConfigMapping(TokenConfig.class).userClaim()).isEqualTo("preferred_username");
        // Unset, smallrye-jwt gets its own "not set" (and accepts no token); an empty value would stop the service.
        SmallRyeConfig unset = config("prod", Map.of());
        assertThat(unset.getValue("mp.jwt.verify.publickey.location", String.class))
                .isEqualTo("NONE");
        assertThat(unset.getValue("mp.jwt.verify.issuer", String.class)).isEqualTo("NONE");
        assertThat(unset.getValue("mp.jwt.verify.publickey", String.class)).isEqualTo("NONE");
        assertThat(unset.getValue("smallrye.jwt.path.groups", String.class)).isEqualTo("groups");
    }

    /**
     * docker-compose.yml and k8s pass NONE where no identity provider is set (an empty value would stop every service:
     * smallrye-jwt's issuer would be ""): the service starts, accepts no token, and is not taken for one with a JWKS.
     */
    @Test
    void noIdentityProviderAsADeploymentPassesItStarts() {
        SmallRyeConfig none = config(
                "prod",
                Map.of(
                        "GITCRQ_AUTH_TOKEN_ISSUER", "NONE",
                        "GITCRQ_AUTH_TOKEN_JWKS_URL", "NONE",
                        "GITCRQ_AUTH_TOKEN_AUDIENCE", ""));
        assertThat(refusals(none, "prod")).isEmpty();
        assertThat(none.getValue("mp.jwt.verify.issuer", String.class)).isEqualTo("NONE");
        assertThat(none.getValue("mp.jwt.verify.publickey.location", String.class))
                .isEqualTo("NONE");
    }

    @Test
    void servicesListenOnLoopbackUnlessADeploymentSaysOtherwise() {
        assertThat(config("prod", Map.of()).getValue("quarkus.http.host", String.class))
                .isEqualTo("127.0.0.1");
        assertThat(config("prod", Map.of("GITCRQ_HTTP_HOST", "0.0.0.0")).getValue("quarkus.http.host", String.class))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void basicCredentialsAreRefusedInProductionEvenForAConfiguredUser() {
        SmallRyeConfig config = config("prod", Map.of(ALICE + "password", "alice", ALICE + "roles", "admin"));
        UsersConfig users = config.getConfigMapping(UsersConfig.class);
        assertThat(authenticate(new ConfiguredUsersIdentityProvider(users, List.of("local")), "alice", "alice")
                        .getPrincipal()
                        .getName())
                .isEqualTo("alice");
        assertThatThrownBy(() ->
                        authenticate(new ConfiguredUsersIdentityProvider(users, List.of("prod")), "alice", "alice"))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() ->
                        authenticate(new ConfiguredUsersIdentityProvider(users, List.of("local")), "alice", "bob"))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    private static SecurityIdentity authenticate(
            ConfiguredUsersIdentityProvider provider, String user, String password) {
        return provider.authenticate(
                        new UsernamePasswordAuthenticationRequest(
                                user, new io.quarkus.security.credential.PasswordCredential(password.toCharArray())),
                        null)
                .await()
                .indefinitely();
    }

    private static List<String> refusals(SmallRyeConfig config, String profile) {
        return ProductionAuthCheck.refusals(
                List.of(profile),
                config.getConfigMapping(UsersConfig.class).users().keySet(),
                config.getConfigMapping(TokenConfig.class));
    }

    private static SmallRyeConfig config(String profile, Map<String, String> deployment) {
        Map<String, String> props = new HashMap<>(deployment);
        props.put("quarkus.application.name", "crq-service");
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .addDefaultSources()
                .addDiscoveredSources()
                .withMapping(UsersConfig.class)
                .withMapping(TokenConfig.class)
                .withSources(new PropertiesConfigSource(props, "deployment", 300))
                .build();
    }
}
