package io.gitcrq.archfixture.good.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Webhooks may be open: the signature authenticates a delivery. */
@Path("/webhooks")
@PermitAll
public class WebhookResource {
    @POST
    public String receive(String body) {
        return body;
    }
}
