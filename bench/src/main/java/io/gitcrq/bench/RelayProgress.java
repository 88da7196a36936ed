package io.gitcrq.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * When Kafka has N more records of a topic: its partitions' end offsets, read every few milliseconds on a thread of
 * its own, so that P1 can say how far behind the outbox the relay ran, and how far behind the relay audit-collector.
 * Asked of the broker rather than of the relay's service: its readiness check cost exec-agent 5-12 ms of CPU a
 * call, a tenth of a core at 20 calls a second, inside the window P1 measures.
 */
final class RelayProgress implements AutoCloseable {

    private static final long POLL_MS = 50;

    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> latest;
    private final long target;
    private final Thread poller;
    private volatile long reachedAt;
    private volatile boolean closed;

    /**
     * Starts watching the topic; {@code n} more records than it holds now is the target.
     *
     * @param kafka a Kafka client configuration allowed to describe the topic (the platform's admin)
     */
    RelayProgress(Map<String, Object> kafka, String topic, long n) {
        this.admin = Admin.create(kafka);
        try {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(1, TimeUnit.MINUTES)
                    .get(topic)
                    .partitions()
                    .size();
            this.latest = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            this.target = records() + n;
        } catch (Exception e) {
            admin.close();
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
        this.poller = new Thread(this::watch, "p1-relay-progress");
        poller.setDaemon(true);
        poller.start();
    }

    private void watch() {
        while (!closed && reachedAt == 0) {
            try {
                if (records() >= target) {
                    reachedAt = System.nanoTime();
                    return;
                }
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A missed sample only makes the moment less precise.
            }
        }
    }

    /** Waits until Kafka had the N records: the nanoTime it was seen; throws after {@code deadline}. */
    long await(long deadline) throws InterruptedException {
        // The watcher ends once it saw them (or was closed).
        TimeUnit.NANOSECONDS.timedJoin(poller, Math.max(1, deadline - System.nanoTime()));
        if (reachedAt == 0) {
            throw new IllegalStateException("Kafka did not have the " + target + "th record in time");
        }
        return reachedAt;
    }

    /** The nanoTime at which Kafka had the N records; 0 if not (yet) seen. */
    long reachedAt() {
        return reachedAt;
    }

    /** Records the topic holds: the sum of its partitions' end offsets. */
    private long records() throws Exception {
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                .sum();
    }

    @Override
    public void close() {
        closed = true;
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close();
    }
}
