package io.gitcrq.archfixture.good.rest;

import io.gitcrq.archfixture.good.domain.Widget;
import io.gitcrq.archfixture.good.service.WidgetService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

@Path("/widgets")
@RolesAllowed("requester")
public class WidgetResource {
    private final WidgetService service;

    public WidgetResource(WidgetService service) {
        this.service = service;
    }

    @POST
    public String create(String name) {
        Widget widget = service.create(name);
        return widget.name;
    }
}
