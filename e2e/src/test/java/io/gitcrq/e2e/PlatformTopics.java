package io.gitcrq.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.Platform;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A platform's topics as its broker's administrator sees them: what each holds, and how far each consumer group got.
 * What the end-to-end tests look at to tell that an event reached Kafka, or that a service has handled everything.
 */
final class PlatformTopics {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Platform platform;
    private final Duration patience;

    PlatformTopics(Platform platform, Duration patience) {
        this.platform = platform;
        this.patience = patience;
    }

    /** How many members of the consumer group have partitions of the topic now (instances sharing its records). */
    long membersReading(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(platform.kafkaClientConfig(BrokerCredentials.ADMIN))) {
            return admin
                    .describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .members()
                    .stream()
                    .filter(m -> m.assignment().topicPartitions().stream()
                            .anyMatch(p -> p.topic().equals(topic)))
                    .count();
        }
    }

    /** One record of a topic: where it is, its CloudEvents id and type, and its data. */
    record Published(int partition, long offset, String eventId, String eventType, JsonNode data) {}

    /** Waits until the topic holds a record the condition accepts: proof an event got as far as Kafka. */
    void awaitPublished(String topic, Predicate<Published> condition) throws InterruptedException {
        Waits.until("a record on " + topic + " as expected", patience, POLL, () -> {
            try {
                return published(topic).stream().anyMatch(condition);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Waits until a service's consumer group has committed every record its topics hold now: whatever those records
     * make the service do has been done (services commit an offset after handling the record), so a test may look
     * for its effects, or for the lack of a duplicate one, without guessing a delay.
     */
    void awaitConsumed(String group, String... topics) throws InterruptedException {
        // As the broker's administrator, who may look at every group.
        try (Admin admin = Admin.create(platform.kafkaClientConfig(BrokerCredentials.ADMIN))) {
            Waits.until(group + " has handled everything on " + Arrays.toString(topics), patience, POLL, () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    for (TopicPartition p : partitionsOf(admin, topics)) {
                        latest.put(p, OffsetSpec.latest());
                    }
                    return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                            .allMatch(end -> end.getValue().offset() == 0
                                    || (committed.get(end.getKey()) != null
                                            && committed.get(end.getKey()).offset()
                                                    >= end.getValue().offset()));
                } catch (Exception e) {
                    throw new AssertionError("cannot read the offsets of " + group, e);
                }
            });
        }
    }

    private static List<TopicPartition> partitionsOf(Admin admin, String... topics) throws Exception {
        return admin.describeTopics(List.of(topics)).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .toList();
    }

    /**
     * Every record the topic holds now, each partition in offset order, read by a consumer of no group; a host's
     * signed batch of audit events as its events, each an AuditCaptured.
     */
    List<Published> published(String topic) throws IOException {
        Map<String, Object> config = new HashMap<>(platform.kafkaClientConfig(BrokerCredentials.ADMIN));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        ObjectMapper json = new ObjectMapper();
        List<Published> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, patience).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + end + " within " + patience);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = json.readTree(r.value());
                    if (EventType.AUDIT_BATCH_CAPTURED
                            .ceType()
                            .equals(event.path("type").asText())) {
                        // A host's signed batch: each of its events as the AuditCaptured it stands for.
                        AuditBatchCaptured batch = (AuditBatchCaptured) EventCodec.dataOf(EventCodec.parse(r.value()));
                        for (AuditSignature.Unpacked e : AuditSignature.unpack(batch)) {
                            records.add(new Published(
                                    r.partition(),
                                    r.offset(),
                                    e.eventId(),
                                    EventType.AUDIT_CAPTURED.ceType(),
                                    EventCodec.mapper().valueToTree(e.event())));
                        }
                        continue;
                    }
                    records.add(new Published(
                            r.partition(),
                            r.offset(),
                            event.path("id").asText(),
                            event.path("type").asText(),
                            event.path("data")));
                }
            }
        }
        records.sort(Comparator.comparingInt(Published::partition).thenComparingLong(Published::offset));
        return records;
    }
}
