package io.gitcrq.kit.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request whose credentials fail (a token from another issuer, expired, for another audience; a wrong password) gets
 * a problem body like every other error, with the challenge headers of the configured mechanisms. Quarkus refuses it
 * in its HTTP layer, before any JAX-RS mapper ({@link ProblemMappers}) could see it. A request with no credentials at
 * all gets the same body from {@link ProblemChallenge}: the permission check sends its challenge itself, asking no
 * handler. The detail says what is wanted, never why a given token failed: that would help whoever forges one.
 */
@ApplicationScoped
public class UnauthenticatedProblem {

    static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"this route needs valid credentials: a bearer token (or, locally, a user and password)\"}";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (!(failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException)
                || context.response().ended()) {
            context.next();
            return;
        }
        HttpAuthenticator authenticator = context.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            respond(context);
            return;
        }
        authenticator
                .getChallenge(context)
                .subscribe()
                .with(
                        challenge -> {
                            if (challenge != null) {
                                challenge
                                        .getHeaders()
                                        .forEach((name, value) ->
                                                context.response().headers().add(name.toString(), value));
                            }
                            respond(context);
                        },
                        error -> respond(context));
    }

    static void respond(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        context.response()
                .setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(BODY);
    }
}
