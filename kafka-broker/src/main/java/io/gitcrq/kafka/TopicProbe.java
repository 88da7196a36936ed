package io.gitcrq.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What tests use to look at real topics: send a record as another service would, and wait for records a
 * service published. A probe authenticates as one principal (the broker's ACLs apply to it as to that service);
 * it reads a topic from its beginning in no consumer group.
 */
public final class TopicProbe {

    private final Map<String, Object> clientConfig;
    private final String principal;

    /** @param clientConfig address and SASL settings, as {@link KafkaBroker#clientConfig} gives them */
    public TopicProbe(Map<String, Object> clientConfig, String principal) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.principal = principal;
    }

    /** Sends one record and waits until the broker has it; throws what the broker said otherwise. */
    public void send(String topic, String key, String value) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(principal + " cannot send to " + topic + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(principal + " cannot send to " + topic, e);
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
            fromBeginning(consumer, topic, Duration.ofSeconds(60));
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

    /**
     * Every record the topic holds now: reads each partition from its beginning up to the end offset it has when asked
     * (however many polls that takes).
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = fromBeginning(consumer, topic, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end + " within "
                            + timeout + "; read " + records.size() + " record(s)");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Assigns the consumer every partition of the topic, each at its beginning; the partitions. */
    private static List<TopicPartition> fromBeginning(
            KafkaConsumer<String, String> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /**
     * A consumer in no group: it reads the partitions it is given from their beginning and commits nothing, so a probe
     * needs only the principal's right to read the topic, not a group of its own (an exec-agent host may use its own
     * three groups alone).
     */
    private KafkaConsumer<String, String> consumer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }
}
