package io.gitcrq.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The lag of each of the service's consumer groups, per topic: the records on the topic's partitions after the
 * group's committed offsets, as the broker has them (what {@code kafka-consumer-groups --describe} shows), not the
 * consumer's own view of what it fetched. Measured with an admin client signed in as the service, which may describe
 * its own groups and the topics it reads. A topic shows once the group has committed on it.
 */
@ApplicationScoped
public class ConsumerGroupLag {

    private static final Logger LOG = Logger.getLogger(ConsumerGroupLag.class);
    private static final String INCOMING = "mp.messaging.incoming.";
    private static final String DEFAULT_GROUP = "mp.messaging.connector.smallrye-kafka.group.id";

    private final Map<String, Object> kafka;
    private final String service;
    private final Set<String> groups;
    private final MeterRegistry registry;
    /** group, NUL, topic → lag in records. */
    private final Map<String, Double> lag = new ConcurrentHashMap<>();

    private Admin admin;

    public ConsumerGroupLag(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name") String service,
            Config config,
            MeterRegistry registry) {
        this.kafka = Map.copyOf(kafka);
        this.service = service;
        this.groups = groupsOf(config);
        this.registry = registry;
    }

    /** The consumer group of every incoming channel: its own group.id, or the connector's (the service's name). */
    static Set<String> groupsOf(Config config) {
        Set<String> groups = new TreeSet<>();
        String fallback = config.getOptionalValue(DEFAULT_GROUP, String.class).orElse(null);
        for (String name : config.getPropertyNames()) {
            // Every incoming channel names its topic (Quarkus finds the connector: Kafka is the only one).
            if (name.startsWith(INCOMING) && name.endsWith(".topic")) {
                String channel = name.substring(INCOMING.length(), name.length() - ".topic".length());
                config.getOptionalValue(INCOMING + channel + ".group.id", String.class)
                        .or(() -> java.util.Optional.ofNullable(fallback))
                        .ifPresent(groups::add);
            }
        }
        return groups;
    }

    @Scheduled(
            every = "${gitcrq.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (groups.isEmpty()) {
            return;
        }
        try {
            Admin client = admin();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        client.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                Map<String, Long> byTopic = new HashMap<>();
                committed.forEach((partition, offset) -> {
                    ListOffsetsResult.ListOffsetsResultInfo end = ends.get(partition);
                    if (offset != null && end != null) {
                        byTopic.merge(partition.topic(), Math.max(0, end.offset() - offset.offset()), Long::sum);
                    }
                });
                byTopic.forEach((topic, records) -> record(group, topic, records));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("cannot measure the consumer groups' lag: %s", e.toString());
        }
    }

    private void record(String group, String topic, long records) {
        String key = group + '\u0000' + topic;
        if (lag.put(key, (double) records) == null) {
            Gauge.builder("gitcrq.kafka.consumer.lag.records", lag, m -> m.getOrDefault(key, Double.NaN))
                    .description("Records on a topic after the consumer group's committed offsets (broker's view)")
                    .tag("group", group)
                    .tag("topic", topic)
                    .register(registry);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            kafka.forEach((key, value) -> {
                if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                    config.put(key, value);
                }
            });
            config.put(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, service + "-metrics");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
            admin = Admin.create(config);
        }
        return admin;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
