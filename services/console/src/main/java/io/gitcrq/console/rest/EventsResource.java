package io.gitcrq.console.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.console.config.ConsoleConfig;
import io.gitcrq.console.domain.Change;
import io.gitcrq.console.service.ChangeFeed;
import io.gitcrq.console.service.Console;
import io.gitcrq.model.event.EventCodec;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live stream: every change of the read model as a server-sent event whose {@code id} is the change's id, of one
 * CRQ ({@code crq}) and/or host ({@code host}) when given. It starts after the change named by {@code Last-Event-ID}
 * (what a browser's EventSource sends when it reconnects), else after {@code after}, else after the latest change;
 * so a page that names the last change it shows, and a stream that reconnects, miss nothing and repeat nothing.
 */
@Path("/events")
@RolesAllowed({"requester", "approver", "admin"})
public class EventsResource {

    private final ChangeFeed feed;
    private final Console console;
    private final ConsoleConfig config;

    public EventsResource(ChangeFeed feed, Console console, ConsoleConfig config) {
        this.feed = feed;
        this.console = console;
        this.config = config;
    }

    @GET
    @Blocking // the start is read from the database; the stream then reads on worker threads
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(
            @QueryParam("crq") String crq,
            @QueryParam("host") String host,
            @QueryParam("after") String after,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        long resumeFrom = ChangeFeed.lastEventId(lastEventId);
        if (resumeFrom < 0) {
            resumeFrom = ChangeFeed.lastEventId(after);
        }
        // Checked now, so that a bad filter is a 400 rather than a stream that fails.
        feed.after(Long.MAX_VALUE, crq, host);
        long start = resumeFrom >= 0 ? resumeFrom : console.lastChangeId();
        return Multi.createFrom().deferred(() -> {
            AtomicLong cursor = new AtomicLong(start);
            return Multi.createFrom()
                    .ticks()
                    .startingAfter(java.time.Duration.ofMillis(1))
                    .every(config.pollInterval())
                    .onOverflow()
                    .drop()
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .onItem()
                    .transformToIterable(tick -> {
                        List<Change> changes = feed.after(cursor.get(), crq, host);
                        if (!changes.isEmpty()) {
                            cursor.set(changes.get(changes.size() - 1).id());
                        }
                        return changes;
                    })
                    .map(change -> event(sse, change));
        });
    }

    private static OutboundSseEvent event(Sse sse, Change c) {
        ObjectNode json = EventCodec.mapper()
                .createObjectNode()
                .put("id", c.id())
                .put("kind", c.kind())
                .put("crqId", c.crqId())
                .put("host", c.host())
                .put("repo", c.repo())
                .put("at", c.at() == null ? null : c.at().toString())
                .put("summary", c.summary());
        try {
            json.set("data", EventCodec.mapper().readTree(c.data()));
        } catch (Exception e) {
            json.put("data", c.data());
        }
        return sse.newEventBuilder()
                .id(Long.toString(c.id()))
                .data(String.class, json.toString())
                .build();
    }
}
