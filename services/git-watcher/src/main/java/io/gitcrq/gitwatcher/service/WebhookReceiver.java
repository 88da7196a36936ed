package io.gitcrq.gitwatcher.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.model.api.git.PollSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Push webhooks: a delivery whose signature (or token) checks out against the webhook secret of the
 * repository it names makes git-watcher poll that repository now. The poll announces exactly what a
 * scheduled poll would, and the emitted-commit bookkeeping keeps a push that is found both ways from being
 * announced twice. A delivery that cannot be verified changes nothing, and is answered the same whether the
 * repository it names is unknown, has no secret or was signed with another secret.
 */
@ApplicationScoped
public class WebhookReceiver {

    private static final Logger LOG = Logger.getLogger(WebhookReceiver.class);
    private static final int MAX_LOGGED_NAME = 200;
    private static final String FORM = "application/x-www-form-urlencoded";

    /** One delivery as it arrived: the headers that matter and the raw body the signature covers. */
    public record Delivery(String event, String id, String proof, String contentType, byte[] body) {}

    /** What became of a delivery. */
    public enum Outcome {
        /** A push: the repositories were polled; {@code polls} says what each poll found. */
        POLLED,
        /** A push whose poll could not run now (one is running); the next scheduled round polls it. */
        DEFERRED,
        /** The host's ping: the signature checks out, nothing was polled. */
        PONG,
        /** Verified, but not a push: nothing to do. */
        IGNORED
    }

    public record Result(
            String provider,
            String event,
            String delivery,
            Outcome outcome,
            List<PollSummary> polls,
            List<String> deferred,
            String detail) {}

    private final RepoRegistry registry;
    private final RepoPoller poller;
    private final WebhookSettings webhooks;
    private final LastPolls lastPolls;
    private final ObjectMapper json;
    private final String decoySecret = UUID.randomUUID().toString();

    public WebhookReceiver(
            RepoRegistry registry,
            RepoPoller poller,
            WebhookSettings webhooks,
            LastPolls lastPolls,
            ObjectMapper json) {
        this.registry = registry;
        this.poller = poller;
        this.webhooks = webhooks;
        this.lastPolls = lastPolls;
        this.json = json;
    }

    public Result receive(GitHost host, Delivery delivery) {
        String event = delivery.event() == null ? "" : delivery.event().trim();
        if (event.isEmpty()) {
            throw new InvalidRequestException(
                    "no " + host.eventHeader() + " header: this is not a " + host.displayName() + " webhook delivery");
        }
        if (delivery.proof() == null || delivery.proof().isBlank()) {
            throw unauthorized(host.missingProof());
        }
        JsonNode payload = payload(host, delivery);
        String hostName = host.repoName(payload)
                .orElseThrow(() -> new InvalidRequestException(
                        "the payload names no repository (" + host.repoNamePath() + " is missing)"));

        List<WatchedRepo> verified = new ArrayList<>();
        boolean named = false;
        for (WatchedRepo repo : registry.list()) {
            if (webhooks.matches(repo, hostName)) {
                named = true;
                if (webhooks.secret(repo)
                        .map(secret -> host.verify(secret, delivery.proof(), delivery.body()))
                        .orElse(false)) {
                    verified.add(repo);
                }
            }
        }
        if (!named) {
            // The same work as for a repository that is watched: how long the refusal takes tells nothing either.
            host.verify(decoySecret, delivery.proof(), delivery.body());
        }
        if (verified.isEmpty()) {
            LOG.warnf(
                    "refused %s %s delivery %s for '%s': no watched repository of that webhook name has a secret "
                            + "the delivery was signed with",
                    host.displayName(), loggable(event), loggable(delivery.id()), loggable(hostName));
            throw unauthorized(
                    host.proofHeader() + " does not match the webhook secret of a watched repository " + "named '"
                            + loggable(hostName) + "'; check the webhook's secret and the repository's webhook name");
        }
        List<String> names = verified.stream().map(r -> r.name).toList();
        String provider = host.name().toLowerCase(Locale.ROOT);
        if (host.isPing(event)) {
            return new Result(
                    provider,
                    event,
                    delivery.id(),
                    Outcome.PONG,
                    List.of(),
                    List.of(),
                    "webhook verified for " + String.join(", ", names));
        }
        if (!host.isPush(event)) {
            return new Result(
                    provider,
                    event,
                    delivery.id(),
                    Outcome.IGNORED,
                    List.of(),
                    List.of(),
                    "only push events are acted on; " + event + " is not one");
        }
        return poll(host, provider, event, delivery.id(), names);
    }

    private Result poll(GitHost host, String provider, String event, String deliveryId, List<String> repos) {
        List<PollSummary> polls = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (String name : repos) {
            try {
                PollSummary summary = poller.poll(name);
                polls.add(summary);
                LOG.infof(
                        "%s push delivery %s: polled %s, %d new commit(s), %d new and %d deleted branch(es)",
                        host.displayName(),
                        loggable(deliveryId),
                        name,
                        summary.newCommits().size(),
                        summary.newBranches().size(),
                        summary.deletedBranches().size());
            } catch (ConflictException e) {
                // The push must not wait for the fallback interval: the scheduler's next round polls it.
                lastPolls.due(name);
                deferred.add(name);
                LOG.infof(
                        "%s push delivery %s: %s is busy (%s); its next scheduled poll takes the push",
                        host.displayName(), loggable(deliveryId), name, e.getMessage());
            } catch (DomainException e) {
                lastPolls.due(name); // as above: polled again soon, though this delivery is refused
                throw e;
            }
        }
        if (deferred.isEmpty()) {
            return new Result(provider, event, deliveryId, Outcome.POLLED, polls, deferred, null);
        }
        return new Result(
                provider,
                event,
                deliveryId,
                Outcome.DEFERRED,
                polls,
                deferred,
                String.join(", ", deferred) + " could not be polled now (a poll is running); git-watcher polls "
                        + (deferred.size() == 1 ? "it" : "them") + " again within seconds");
    }

    /**
     * The payload's JSON: the body itself, or its {@code payload} field when the host posts a form (GitHub's
     * {@code application/x-www-form-urlencoded} content type). The signature covers the body as sent either way.
     */
    private JsonNode payload(GitHost host, Delivery delivery) {
        byte[] bytes = delivery.body();
        if (delivery.contentType() != null
                && delivery.contentType().toLowerCase(Locale.ROOT).startsWith(FORM)) {
            bytes = formPayload(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode node;
        try {
            node = bytes.length == 0 ? null : json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(
                    "malformed JSON in the " + host.displayName() + " payload: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("unreadable " + host.displayName() + " payload: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("the " + host.displayName() + " payload is not a JSON object");
        }
        return node;
    }

    private static String formPayload(String form) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("malformed form body: " + e.getMessage());
                }
            }
        }
        throw new InvalidRequestException("a form-encoded webhook body needs a 'payload' field");
    }

    private static NotAuthenticatedException unauthorized(String detail) {
        return new NotAuthenticatedException(detail);
    }

    /** What a delivery says, made safe for one log line: its sender is not yet verified. */
    private static String loggable(String text) {
        if (text == null) {
            return "-";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > MAX_LOGGED_NAME ? clean.substring(0, MAX_LOGGED_NAME) + "…" : clean;
    }
}
