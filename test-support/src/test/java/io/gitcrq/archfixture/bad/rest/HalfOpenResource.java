package io.gitcrq.archfixture.bad.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Guarded on the class, but one method lets anybody in. */
@Path("/half-open")
@RolesAllowed("admin")
public class HalfOpenResource {
    @GET
    @Path("open")
    @PermitAll
    public String open() {
        return "anything";
    }
}
