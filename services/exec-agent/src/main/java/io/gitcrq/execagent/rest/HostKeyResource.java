package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.audit.HostKey;
import io.gitcrq.model.api.audit.HostPublicKey;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** This agent's audit signing key, public half: what an admin registers with audit-collector for the host. */
@Path("/host-key")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class HostKeyResource {

    private final HostKey key;

    public HostKeyResource(HostKey key) {
        this.key = key;
    }

    @GET
    public HostPublicKey get() {
        return new HostPublicKey(key.host(), key.keyId(), key.publicKeyPem());
    }
}
