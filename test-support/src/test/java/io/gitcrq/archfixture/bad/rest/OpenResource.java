package io.gitcrq.archfixture.bad.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Open to anybody, and not a webhook. */
@Path("/open")
@PermitAll
public class OpenResource {
    @GET
    public String get() {
        return "anything";
    }
}
