package io.gitcrq.kit.outbox;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The relay's Kafka side: sends a batch of outbox rows and returns only when the broker has them all. */
class KafkaPublisher implements AutoCloseable {

    record Outgoing(String topic, String key, String value) {
    }

    private final KafkaProducer<String, String> producer;

    KafkaPublisher(String bootstrapServers, String clientId) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotence keeps a key's records in order when the producer retries.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    void sendAll(List<Outgoing> batch) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (Outgoing o : batch) {
            sent.add(producer.send(new ProducerRecord<>(o.topic(), o.key(), o.value())));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
