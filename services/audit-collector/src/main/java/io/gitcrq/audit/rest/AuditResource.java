package io.gitcrq.audit.rest;

import io.gitcrq.audit.chain.ExportLine;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.audit.repository.AuditFilter;
import io.gitcrq.audit.repository.SignedHeadRepository;
import io.gitcrq.audit.service.ChainVerifier;
import io.gitcrq.audit.service.HostKeys;
import io.gitcrq.audit.service.Retention;
import io.gitcrq.audit.timeline.Timeline;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.api.audit.AuditEventView;
import io.gitcrq.model.api.audit.AuditPage;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.api.audit.RejectionPage;
import io.gitcrq.model.api.audit.TimelinePage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail: searched by CRQ, host, kind, repository and time, one event by its id, each host's hash chain verified,
 * a CRQ's timeline, exports as JSON lines; retention (admin only). Everything else is read only.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"requester", "approver", "admin"})
public class AuditResource {

    static final int TIMELINE_DEFAULT_SIZE = 500;
    static final int TIMELINE_MAX_SIZE = 5000;
    private static final int EXPORT_PAGE = 500;

    private final AuditEventRepository events;
    private final ChainVerifier verifier;
    private final Timeline timeline;
    private final Retention retention;
    private final HostKeys hostKeys;
    private final SecurityIdentity identity;
    private final AuditChainRepository chains;
    private final SignedHeadRepository heads;

    public AuditResource(
            AuditEventRepository events,
            ChainVerifier verifier,
            Timeline timeline,
            Retention retention,
            HostKeys hostKeys,
            SecurityIdentity identity,
            AuditChainRepository chains,
            SignedHeadRepository heads) {
        this.identity = identity;
        this.chains = chains;
        this.heads = heads;
        this.events = events;
        this.verifier = verifier;
        this.timeline = timeline;
        this.retention = retention;
        this.hostKeys = hostKeys;
    }

    @GET
    @Transactional
    public AuditPage search(
            @QueryParam("crq") String crq,
            @QueryParam("host") String host,
            @QueryParam("kind") String kind,
            @QueryParam("repo") String repo,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("page") String page,
            @QueryParam("size") String size) {
        AuditQuery query = AuditQuery.of(crq, host, kind, repo, from, to, page, size);
        AuditEventRepository.Found found = events.search(query.filter(), query.page(), query.size());
        return new AuditPage(
                found.items().stream().map(AuditViews::of).toList(), query.page(), query.size(), found.total());
    }

    /**
     * Recomputes the hash chain of one host, or of every host: {@code ok} with the number of links verified,
     * or the first broken link. 200 either way (the verification itself worked); 404 for an unknown host.
     */
    @GET
    @Path("verify")
    public ChainVerification verify(@QueryParam("host") String host) {
        return verifier.verify(Optional.ofNullable(AuditQuery.blankToNull(host)));
    }

    /**
     * How many audit events were refused (unsigned, a signature that does not verify, a key of another host or
     * revoked, a replayed hostSeq) since audit-collector began, and the latest {@code size} (default 20) of them.
     */
    @GET
    @Path("rejections")
    public RejectionPage rejections(@QueryParam("size") String size) {
        HostKeys.Rejections found = hostKeys.rejections(AuditQuery.number("size", size, 20, 1, 500));
        return new RejectionPage(
                found.total(),
                found.latest().stream()
                        .map(r -> new RejectionPage.Rejection(
                                r.eventId(), r.eventType(), r.hostClaimed(), r.keyId(), r.reason(), r.at()))
                        .toList());
    }

    /** A CRQ's Git, CRQ, merge, exec and audit events, oldest first; 404 when nothing is known of the CRQ. */
    @GET
    @Path("timeline")
    public TimelinePage timeline(
            @QueryParam("crq") String crq, @QueryParam("page") String page, @QueryParam("size") String size) {
        String crqId = AuditQuery.crqId(crq);
        if (crqId == null) {
            throw ProblemException.badRequest("crq is required: the CRQ whose timeline to show (e.g. crq=CRQ-12)");
        }
        TimelinePage found = timeline.of(
                crqId,
                AuditQuery.number("page", page, 0, 0, Integer.MAX_VALUE),
                AuditQuery.number("size", size, TIMELINE_DEFAULT_SIZE, 1, TIMELINE_MAX_SIZE));
        if (found.total() == 0) {
            throw ProblemException.notFound("nothing is recorded for " + crqId);
        }
        return found;
    }

    /**
     * The stored audit events of a CRQ and/or a host (optionally within from/to, on occurredAt), as JSON lines
     * ({@link ExportLine}), ordered by host then sequence; streamed page by page, never held whole.
     */
    @GET
    @Path("export")
    @Produces(ExportLine.MEDIA_TYPE)
    public Response export(
            @QueryParam("crq") String crq,
            @QueryParam("host") String host,
            @QueryParam("kind") String kind,
            @QueryParam("repo") String repo,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        AuditFilter filter =
                AuditQuery.of(crq, host, kind, repo, from, to, null, null).filter();
        if (filter.crqId() == null && filter.host() == null && filter.repo() == null) {
            throw ProblemException.badRequest("crq, host or repo is required: export the events of a CRQ "
                    + "(crq=CRQ-12), of a host (host=build-01) or about a repository (repo=demo)");
        }
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.US_ASCII));
            String afterHost = null;
            long afterSequence = 0;
            while (true) {
                String fromHost = afterHost;
                long fromSequence = afterSequence;
                List<AuditEvent> page = QuarkusTransaction.requiringNew()
                        .call(() -> events.exportPage(filter, fromHost, fromSequence, EXPORT_PAGE));
                for (AuditEvent event : page) {
                    writer.write(ExportLine.of(event));
                    writer.write('\n');
                }
                writer.flush();
                if (page.size() < EXPORT_PAGE) {
                    break;
                }
                AuditEvent last = page.get(page.size() - 1);
                afterHost = last.host;
                afterSequence = last.sequence;
            }
            if (wholeHost(filter)) {
                for (String line : QuarkusTransaction.requiringNew().call(() -> anchors(filter.host()))) {
                    writer.write(line);
                    writer.write('\n');
                }
                writer.flush();
            }
        };
        return Response.ok(body, ExportLine.MEDIA_TYPE).build();
    }

    private static boolean wholeHost(AuditFilter f) {
        return f.host() != null
                && f.crqId() == null
                && f.kind() == null
                && f.repo() == null
                && f.from() == null
                && f.to() == null;
    }

    /** A host's checkpoint and signed heads as export lines: what its chain starts from and how far it goes. */
    private List<String> anchors(String host) {
        List<String> lines = new java.util.ArrayList<>();
        chains.latestCheckpoint(host).ifPresent(c -> lines.add(ExportLine.of(c)));
        heads.latestPerKey(host).forEach(h -> lines.add(ExportLine.of(h)));
        return lines;
    }

    /**
     * Applies retention now, to one host or to all ({@code gitcrq.audit.retention}); admin only. 409 when
     * retention is off, 404 for an unknown host.
     */
    @POST
    @Path("retention")
    @RolesAllowed("admin")
    public Retention.Report retention(@QueryParam("host") String host) {
        return retention.run(
                Optional.ofNullable(AuditQuery.blankToNull(host)),
                identity.getPrincipal().getName());
    }

    @GET
    @Path("{eventId}")
    @Transactional
    public AuditEventView get(@PathParam("eventId") String eventId) {
        return events.byEventId(eventId)
                .map(AuditViews::of)
                .orElseThrow(() -> ProblemException.notFound("no audit event " + eventId));
    }
}
