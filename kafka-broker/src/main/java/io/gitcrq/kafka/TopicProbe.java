package io.gitcrq.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What tests use to look at real topics: send a record as another service would, and wait for records a
 * service published. Each probe reads a topic from its beginning with a group of its own.
 */
public final class TopicProbe {

    private final String bootstrapServers;

    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Waits until a record of the topic whose value matches appears; fails with what was seen instead. */
    public ConsumerRecord<String, String> await(String topic, Predicate<String> value, Duration timeout) {
        List<ConsumerRecord<String, String>> all = awaitAll(topic, value, 1, timeout);
        return all.get(0);
    }

    /** Waits until at least {@code count} matching records are there, then returns every matching one. */
    public List<ConsumerRecord<String, String>> awaitAll(
            String topic, Predicate<String> value, int count, Duration timeout) {
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.value());
                    if (value.test(r.value())) {
                        matching.add(r);
                    }
                }
                if (matching.size() >= count) {
                    // Read a little longer: a duplicate arriving just after is what some tests look for.
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        if (value.test(r.value())) {
                            matching.add(r);
                        }
                    }
                    return matching;
                }
            }
        }
        throw new AssertionError("expected " + count + " matching record(s) on " + topic + " within " + timeout
                + ", found " + matching.size() + "; records seen: " + seen);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()));
    }
}
