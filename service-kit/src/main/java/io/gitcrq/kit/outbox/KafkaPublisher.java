package io.gitcrq.kit.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's Kafka side: sends a batch of outbox rows and returns only when the broker has them all.
 * <p>
 * While the broker is away, the producer loses its metadata and each {@code send} waits for it on its own
 * ({@code max.block.ms}) and fails alone: without care, the first records of a batch fail, the broker comes
 * back, the later ones go through, and sending the batch again repeats the later ones after the earlier ones,
 * out of order. So a batch is only handed to the producer once the broker answers for all its topics, nothing
 * after a record that failed is sent, and a failed attempt says which records must go again: per topic and
 * key (what orders a consumer's view), everything from the first record that did not arrive.
 */
class KafkaPublisher implements AutoCloseable {

    /** One record to send; {@code createdAt} is when its outbox row was written (null when unknown). */
    record Outgoing(String topic, String key, String value, java.time.Instant createdAt) {
        Outgoing(String topic, String key, String value) {
            this(topic, key, value, null);
        }
    }

    /** Records a failed attempt did not get to the broker, in batch order; send them again. */
    static final class NotAllSent extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient List<Outgoing> unsent;

        NotAllSent(List<Outgoing> unsent, int sent, Throwable cause) {
            super(unsent.size() + " of " + (unsent.size() + sent) + " to send again: " + cause.getMessage(), cause);
            this.unsent = List.copyOf(unsent);
        }

        List<Outgoing> unsent() {
            return unsent;
        }
    }

    /** A send given up before Kafka took everything (the relay stopping, or its lease lost): nothing is confirmed. */
    static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned(String message) {
            super(message);
        }
    }

    /** How long a send waits for a broker it cannot reach before the attempt fails and is retried. */
    static final int MAX_BLOCK_MS = 10_000;

    /** Bytes of one produce batch (per partition): 256 KB, against the producer's default of 16 KB. */
    static final int BATCH_BYTES = 256 * 1024;

    private final KafkaProducer<String, String> producer;

    /**
     * @param kafka the service's Kafka client configuration ({@code kafka.*} without the prefix, as its channels get
     *     it): the address, and how it signs in (security protocol, SASL and TLS settings)
     */
    KafkaPublisher(Map<String, Object> kafka, String clientId) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        config.putAll(Map.<String, Object>ofEntries(
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, clientId),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                // Idempotence keeps a key's records in order when the producer retries.
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"),
                // The default (60 s per record without metadata) would hold a batch for minutes while Kafka is down.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK_MS)),
                // A relay batch is up to max.batch.size rows sent at once: a few large produce batches, compressed
                // (CloudEvents JSON shrinks to about a third with lz4), cost the broker and consumers less per
                // event than a 16 KB batch for every dozen rows. A lone event still goes at once: sendAll flushes.
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_BYTES)),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())));
        this.producer = new KafkaProducer<>(config);
    }

    /**
     * Sends the batch in order. Throws {@link NotAllSent} naming what must be sent again when the broker does not
     * take every record; any other exception (Kafka unreachable, the relay interrupted) means the whole batch.
     */
    void sendAll(List<Outgoing> batch) throws Exception {
        // Without the broker this fails within max.block.ms, before any record is handed over.
        Set<String> topics = new LinkedHashSet<>();
        batch.forEach(o -> topics.add(o.topic()));
        for (String topic : topics) {
            producer.partitionsFor(topic);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        RuntimeException refused = null;
        for (Outgoing o : batch) {
            Future<RecordMetadata> f;
            try {
                f = producer.send(new ProducerRecord<>(o.topic(), o.key(), o.value()));
            } catch (RuntimeException e) {
                refused = e;
                break;
            }
            sent.add(f);
            if (f.isDone() && failure(f) != null) {
                break; // the broker went away meanwhile: send nothing after it
            }
        }
        producer.flush();
        Throwable firstFailure = null;
        List<Outgoing> unsent = new ArrayList<>();
        Set<String> interrupted = new HashSet<>(); // topic and key of each sequence broken by a failure
        for (int i = 0; i < batch.size(); i++) {
            Outgoing o = batch.get(i);
            String sequence = o.topic() + '\u0000' + o.key();
            Throwable failed = i < sent.size() ? failure(sent.get(i)) : null;
            if (failed != null && firstFailure == null) {
                firstFailure = failed;
            }
            if (i >= sent.size() || failed != null || interrupted.contains(sequence)) {
                interrupted.add(sequence);
                unsent.add(o);
            }
        }
        if (!unsent.isEmpty()) {
            throw new NotAllSent(unsent, batch.size() - unsent.size(), firstFailure != null ? firstFailure : refused);
        }
    }

    /** Why the completed send failed, or null if the broker has the record. */
    private static Throwable failure(Future<RecordMetadata> f) throws InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
