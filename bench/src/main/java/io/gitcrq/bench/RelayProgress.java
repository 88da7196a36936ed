package io.gitcrq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.event.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a service's outbox relay has had N more records acknowledged by Kafka: read from its readiness check (the
 * relay's {@code relayed} counter) every few milliseconds on a thread of its own, so that P1 can say how far
 * behind the outbox the relay ran, and how far behind the relay audit-collector.
 */
final class RelayProgress implements AutoCloseable {

    private static final long POLL_MS = 50;

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI health;
    private final long target;
    private final Thread poller;
    private volatile long reachedAt;
    private volatile boolean closed;

    /** Starts watching; {@code n} more than the relay has relayed by now is the target. */
    RelayProgress(String serviceUrl, long n) {
        this.health = URI.create(serviceUrl + "/q/health/ready");
        this.target = relayed() + n;
        this.poller = new Thread(this::watch, "p1-relay-progress");
        poller.setDaemon(true);
        poller.start();
    }

    private void watch() {
        while (!closed && reachedAt == 0) {
            if (relayed() >= target) {
                reachedAt = System.nanoTime();
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until the relay had the N records in Kafka: the nanoTime it was seen; throws after {@code deadline}. */
    long await(long deadline) throws InterruptedException {
        // The watcher ends once it saw them (or was closed).
        TimeUnit.NANOSECONDS.timedJoin(poller, Math.max(1, deadline - System.nanoTime()));
        if (reachedAt == 0) {
            throw new IllegalStateException("the relay did not have the " + target + "th record acknowledged in time");
        }
        return reachedAt;
    }

    /** The nanoTime at which the relay had the N records in Kafka; 0 if not (yet) seen. */
    long reachedAt() {
        return reachedAt;
    }

    private long relayed() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(health)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : EventCodec.mapper().readTree(r.body()).path("checks")) {
                if ("outbox-relay".equals(check.path("name").asText())) {
                    return check.path("data").path("relayed").asLong();
                }
            }
        } catch (Exception e) {
            // A missed sample only makes the moment less precise.
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
