package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.gitwatcher.service.GitHost;
import io.gitcrq.gitwatcher.service.WebhookReceiver;
import io.gitcrq.kit.rest.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * Push webhooks of GitHub, GitLab and Gitea. No login: Git hosts cannot log in, the signature made with the
 * repository's webhook secret authenticates a delivery instead (application.properties permits /webhooks/*).
 * The body is read here as raw bytes, because the signature covers exactly the bytes sent.
 */
@Path("/webhooks")
@PermitAll
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookReceiver receiver;
    private final int maxBodyBytes;

    public WebhookResource(WebhookReceiver receiver, GitWatcherConfig config) {
        this.receiver = receiver;
        this.maxBodyBytes = Math.max(0, Math.min(config.webhookMaxBodyBytes(), Integer.MAX_VALUE - 16));
    }

    @POST
    @Path("github")
    public Response github(@Context HttpHeaders headers, InputStream body) {
        return receive(GitHost.GITHUB, headers, body);
    }

    @POST
    @Path("gitlab")
    public Response gitlab(@Context HttpHeaders headers, InputStream body) {
        return receive(GitHost.GITLAB, headers, body);
    }

    @POST
    @Path("gitea")
    public Response gitea(@Context HttpHeaders headers, InputStream body) {
        return receive(GitHost.GITEA, headers, body);
    }

    /** 200 with what the poll found (or for a ping or another event), 202 when the poll was left to the scheduler. */
    private Response receive(GitHost host, HttpHeaders headers, InputStream body) {
        byte[] bytes = read(headers, body);
        WebhookReceiver.Result result = receiver.receive(
                host,
                new WebhookReceiver.Delivery(
                        headers.getHeaderString(host.eventHeader()),
                        headers.getHeaderString(host.deliveryHeader()),
                        headers.getHeaderString(host.proofHeader()),
                        headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                        bytes));
        return Response.status(
                        result.outcome() == WebhookReceiver.Outcome.DEFERRED
                                ? Response.Status.ACCEPTED
                                : Response.Status.OK)
                .entity(result)
                .build();
    }

    /** At most webhook-max-body-bytes: a declared larger body is refused unread, a longer one once it runs over. */
    private byte[] read(HttpHeaders headers, InputStream body) {
        if (headers.getLength() > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.badRequest("cannot read the webhook body: " + e.getMessage());
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(
                413,
                "Content Too Large",
                "webhook bodies of more than " + maxBodyBytes
                        + " bytes are refused (gitcrq.git-watcher.webhook-max-body-bytes)");
    }
}
