package io.gitcrq.archfixture.bad.rest;

import jakarta.ws.rs.Path;

@Path("/gadgets")
public class GadgetResource {
    public record GadgetRequest(String name) {}
}
