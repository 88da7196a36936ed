package io.gitcrq.mcp.rest;

import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.service.CallerContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The caller of the MCP request being handled: the authenticated identity (name, roles) and the {@code Authorization}
 * header it was authenticated with, which the tools forward to the owning services. mcp-server's HTTP edge: nothing
 * else here reads the HTTP request.
 */
@ApplicationScoped
public class HttpCallerContext implements CallerContext {

    private final CurrentIdentityAssociation identities;
    private final CurrentVertxRequest request;

    public HttpCallerContext(CurrentIdentityAssociation identities, CurrentVertxRequest request) {
        this.identities = identities;
        this.request = request;
    }

    @Override
    public Caller current() {
        SecurityIdentity identity = identities.getIdentity();
        if (identity != null && identity.getAttribute(CrqTokenAuthentication.CALLER) instanceof Caller scoped) {
            return scoped; // a CRQ-scoped token: its maker's credentials, its one CRQ
        }
        RoutingContext current = request.getCurrent();
        String authorization = current == null ? null : current.request().getHeader("Authorization");
        boolean anonymous = identity == null || identity.isAnonymous();
        return new Caller(
                anonymous ? null : identity.getPrincipal().getName(),
                anonymous ? null : identity.getRoles(),
                authorization);
    }
}
