package io.gitcrq.console.rest;

import io.gitcrq.console.domain.BoardFilter;
import io.gitcrq.console.domain.CrqCard;
import io.gitcrq.console.domain.Exec;
import io.gitcrq.console.domain.MergeQueueView;
import io.gitcrq.console.service.Console;
import io.gitcrq.console.service.Console.CrqPage;
import io.gitcrq.console.service.Console.HostPage;
import io.gitcrq.console.service.Console.RepoPage;
import io.gitcrq.console.service.ExecRecordings;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The console's pages, server-rendered (Qute escapes every value) and read-only. Each page names the live stream it
 * follows ({@code data-stream}) and the last change it shows ({@code data-last-change}); console.js updates it from
 * there. Elements carry stable ids and data attributes ({@code data-crq}, {@code data-status}, …) for browser tests.
 */
@Path("/")
@RolesAllowed({"requester", "approver", "admin"})
@Produces(MediaType.TEXT_HTML)
public class PagesResource {

    /** One status column of the board. */
    public record Column(String status, List<CrqCard> cards) {}

    /** The board's filter as given (for the form), and its options. */
    public record Filter(String repo, String requester, String approver, String q) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(
                List<Column> columns,
                Filter filter,
                List<String> repos,
                List<String> hosts,
                long lastChange,
                String stream);

        static native TemplateInstance crq(CrqPage page, long lastChange, String stream);

        static native TemplateInstance queues(List<MergeQueueView> queues, long lastChange, String stream);

        static native TemplateInstance host(HostPage page, long lastChange, String stream);

        static native TemplateInstance repo(RepoPage page, long lastChange, String stream);

        static native TemplateInstance exec(Exec exec, boolean recordingReadable, long lastChange, String stream);
    }

    private final Console console;
    private final ExecRecordings recordings;

    public PagesResource(Console console, ExecRecordings recordings) {
        this.console = console;
        this.recordings = recordings;
    }

    @GET
    public TemplateInstance board(
            @QueryParam("repo") String repo,
            @QueryParam("requester") String requester,
            @QueryParam("approver") String approver,
            @QueryParam("q") String q) {
        long last = console.lastChangeId();
        Map<String, List<CrqCard>> byStatus = console.board(new BoardFilter(repo, requester, approver, q));
        List<Column> columns = byStatus.entrySet().stream()
                .map(e -> new Column(e.getKey(), e.getValue()))
                .toList();
        return Templates.board(
                columns,
                new Filter(nz(repo), nz(requester), nz(approver), nz(q)),
                console.repos(),
                console.hosts(),
                last,
                "/events");
    }

    @GET
    @Path("crqs/{id}")
    public TemplateInstance crq(@PathParam("id") String id) {
        long last = console.lastChangeId();
        CrqPage page = console.crq(id);
        return Templates.crq(page, last, "/events?crq=" + query(page.crq().id()));
    }

    @GET
    @Path("queues")
    public TemplateInstance queues() {
        long last = console.lastChangeId();
        return Templates.queues(console.queues(), last, "/events");
    }

    @GET
    @Path("hosts/{host}")
    public TemplateInstance host(@PathParam("host") String host) {
        long last = console.lastChangeId();
        HostPage page = console.host(host);
        return Templates.host(page, last, "/events?host=" + query(page.host()));
    }

    /**
     * An exec, and its recording played in the page when the console can read it from the exec's host. No live
     * stream: a refresh of the page would restart the player.
     */
    @GET
    @Path("execs/{execId}")
    public TemplateInstance exec(@PathParam("execId") String execId) {
        long last = console.lastChangeId();
        Exec exec = console.exec(execId);
        return Templates.exec(exec, recordings.readable(exec.host()), last, "");
    }

    @GET
    @Path("repos/{repo}")
    public TemplateInstance repo(@PathParam("repo") String repo) {
        long last = console.lastChangeId();
        return Templates.repo(console.repo(repo), last, "/events");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
