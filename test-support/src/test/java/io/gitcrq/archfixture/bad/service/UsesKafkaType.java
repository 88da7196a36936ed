package io.gitcrq.archfixture.bad.service;

import org.apache.kafka.clients.producer.ProducerRecord;

/** Bad: a service building Kafka records itself. */
public class UsesKafkaType {
    public ProducerRecord<String, String> event(String id) {
        return new ProducerRecord<>("gadgets", id, "created");
    }
}
