package io.gitcrq.audit.rest;

import io.gitcrq.audit.domain.RegisteredKey;
import io.gitcrq.audit.service.HostKeys;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.audit.HostKeyRegistration;
import io.gitcrq.model.api.audit.HostKeyView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host keys audit events must be signed with (admin only): register a host's Ed25519 public key, list them
 * (with the events held for a key not registered yet), revoke one. Each change is a governance record.
 */
@Path("/audit/hosts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class HostKeysResource {

    private final HostKeys hostKeys;
    private final SecurityIdentity identity;

    public HostKeysResource(HostKeys hostKeys, SecurityIdentity identity) {
        this.hostKeys = hostKeys;
        this.identity = identity;
    }

    /** 201 with the key; 400 for a key that is not Ed25519 or a bad host name; 409 for a key known already. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(HostKeyRegistration body) {
        if (body == null) {
            throw ProblemException.badRequest("a body {host, publicKey} is required");
        }
        HostKeys.Registered registered = hostKeys.register(
                body.host(), body.publicKey(), identity.getPrincipal().getName());
        return Response.status(Response.Status.CREATED)
                .entity(view(registered.key(), null))
                .build();
    }

    /** Every registered key (revoked ones too), by host; a host with events waiting for a key shows them as held. */
    @GET
    public List<HostKeyView> list() {
        Map<String, Long> held = hostKeys.held();
        List<HostKeyView> views = new ArrayList<>();
        for (RegisteredKey k : hostKeys.all()) {
            views.add(view(k, held.remove(k.host())));
        }
        held.forEach((host, count) -> views.add(new HostKeyView(host, null, null, null, null, null, null, count)));
        return views;
    }

    @DELETE
    @Path("{host}/keys/{fingerprint: .+}")
    public HostKeyView revoke(@PathParam("host") String host, @PathParam("fingerprint") String fingerprint) {
        return view(hostKeys.revoke(host, fingerprint, identity.getPrincipal().getName()), null);
    }

    private static HostKeyView view(RegisteredKey k, Long held) {
        return new HostKeyView(
                k.host(),
                k.fingerprint(),
                k.publicKeyPem(),
                k.registeredBy(),
                k.registeredAt(),
                k.revokedBy(),
                k.revokedAt(),
                held == null || held == 0 ? null : held);
    }
}
