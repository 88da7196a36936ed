package io.gitcrq.kit.rest;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The answer to a request that came with no credentials at all where credentials are needed: 401 with the challenges
 * of every configured mechanism ({@code WWW-Authenticate: Basic …}, {@code Bearer …}) and a problem body, like every
 * other error. Quarkus sends that challenge from its permission check, asking the mechanisms in priority order, and
 * the first that answers ends the response: so this mechanism, first of all, answers for them all. It authenticates
 * nobody; a request whose credentials fail is {@link UnauthenticatedProblem}'s.
 */
@ApplicationScoped
public class ProblemChallenge implements HttpAuthenticationMechanism {

    private final Instance<HttpAuthenticationMechanism> mechanisms;

    public ProblemChallenge(Instance<HttpAuthenticationMechanism> mechanisms) {
        this.mechanisms = mechanisms;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().nullItem();
    }

    /**
     * The challenges of every other mechanism in one: a header they share (WWW-Authenticate) lists theirs in turn,
     * comma-separated, as RFC 9110 allows. Quarkus asks for it only where a request named no mechanism.
     */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return challenges(context).map(challenges -> {
            Map<CharSequence, String> headers = new LinkedHashMap<>();
            challenges.forEach(challenge -> challenge
                    .getHeaders()
                    .forEach((name, value) -> headers.merge(name.toString(), value, (a, b) -> a + ", " + b)));
            return new ChallengeData(401, headers);
        });
    }

    /** 401, each mechanism's challenge as a header line of its own (what browsers read best), the problem body. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return challenges(context).map(challenges -> {
            if (!context.response().ended()) {
                challenges.forEach(challenge -> challenge
                        .getHeaders()
                        .forEach((name, value) -> context.response().headers().add(name, value)));
                UnauthenticatedProblem.respond(context);
            }
            return true;
        });
    }

    private Uni<List<ChallengeData>> challenges(RoutingContext context) {
        List<Uni<ChallengeData>> others = mechanisms.stream()
                .filter(mechanism -> !(mechanism instanceof ProblemChallenge))
                .map(mechanism -> mechanism.getChallenge(context))
                .toList();
        if (others.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join()
                .all(others)
                .andFailFast()
                .map(all -> all.stream().filter(Objects::nonNull).toList());
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    /**
     * Before the mechanisms it answers for: basic (2000, Quarkus' {@code BasicAuthenticationMechanism}) and bearer
     * tokens (the default, 1000). A tie would leave the order to chance.
     */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1500;
    }
}
