package io.gitcrq.audit.rest;

import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.kit.rest.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit trail, read only: searched by CRQ, host, kind and time, or one event by its id. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class AuditResource {

    private final AuditEventRepository events;

    public AuditResource(AuditEventRepository events) {
        this.events = events;
    }

    @GET
    @Transactional
    public AuditPage search(@QueryParam("crq") String crq, @QueryParam("host") String host,
                            @QueryParam("kind") String kind, @QueryParam("from") String from,
                            @QueryParam("to") String to, @QueryParam("page") String page,
                            @QueryParam("size") String size) {
        AuditQuery query = AuditQuery.of(crq, host, kind, from, to, page, size);
        AuditEventRepository.Found found = events.search(query.filter(), query.page(), query.size());
        return new AuditPage(found.items().stream().map(AuditEventView::of).toList(), query.page(), query.size(),
                found.total());
    }

    @GET
    @Path("{eventId}")
    @Transactional
    public AuditEventView get(@PathParam("eventId") String eventId) {
        return events.byEventId(eventId).map(AuditEventView::of)
                .orElseThrow(() -> ProblemException.notFound("no audit event " + eventId));
    }
}
