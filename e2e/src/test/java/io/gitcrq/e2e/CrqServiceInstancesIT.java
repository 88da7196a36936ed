package io.gitcrq.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.FreePorts;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.PlatformSettings;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of crq-service on one database, as {@code ./gitcrq up --instances 2} runs them: a burst of CRQs is
 * created through both REST APIs, the instance relaying the outbox is killed (SIGKILL) in the middle of it, and the
 * survivor takes the relay over. On the real topic every CRQ has exactly one CrqCreated event (one event id); a record
 * is there twice only if the killed instance sent it just before the kill and the survivor again after it (the batch
 * Kafka had and the slot had not yet confirmed), which the consumers' inbox skips by its event id. Prints the takeover
 * time: from the kill to the first record the survivor relayed.
 */
class CrqServiceInstancesIT {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final int PER_INSTANCE = 40;
    private static final int KILL_AFTER = 30;

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Path repoRoot = Path.of("..").toAbsolutePath().normalize();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Platform platform;
    private RelayRoles roles;

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
            platform.dropDatabases();
        }
    }

    @Test
    void theSurvivorTakesTheRelayOverAndEveryCrqIsAnnouncedOnce() throws Exception {
        platform = new Platform(new PlatformSettings(
                        repoRoot,
                        Path.of("target", "e2e-instances-" + runId).toAbsolutePath(),
                        FreePorts.one(),
                        FreePorts.range(2 * ServiceSpec.portsPerInstance()),
                        "e2e_inst_" + runId + "_",
                        "gitcrq-e2e-inst-" + runId,
                        Map.of())
                .withInstances(2));
        roles = new RelayRoles(platform);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
        platform.startBroker(Duration.ofMinutes(4));
        platform.start("crq-service");
        platform.awaitReady("crq-service", Duration.ofMinutes(4));
        platform.start("crq-service-2");
        platform.awaitReady("crq-service-2", Duration.ofMinutes(4));

        // One relays, the other stands by (and is ready all the same).
        String active = awaitRoles();
        String standby = active.equals("crq-service") ? "crq-service-2" : "crq-service";
        System.out.println("relaying: " + active + "; standing by: " + standby);

        Set<String> created = ConcurrentHashMap.newKeySet();
        AtomicInteger count = new AtomicInteger();
        CountDownLatch killNow = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (String instance : List.of("crq-service", "crq-service-2")) {
            Thread t = new Thread(() -> {
                String target = instance;
                for (int i = 0; i < PER_INSTANCE; i++) {
                    String id = create(target, "burst " + instance + " " + i);
                    if (id == null) {
                        target = standby; // the killed one answers no more: go on with the survivor
                        id = create(target, "burst " + instance + " " + i + " (retried)");
                    }
                    assertThat(id).as("created on " + target).isNotNull();
                    created.add(id);
                    if (count.incrementAndGet() == KILL_AFTER) {
                        killNow.countDown();
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        assertThat(killNow.await(2, TimeUnit.MINUTES)).isTrue();
        Instant killed = Instant.now();
        platform.stop(active, true);
        System.out.println("killed " + active + " (SIGKILL) after " + count.get() + " CRQs");
        for (Thread t : writers) {
            t.join(PATIENCE.toMillis());
        }
        assertThat(created).hasSize(2 * PER_INSTANCE);
        // The survivor takes the relay over once the killed one's database sessions are gone: waited for, not assumed.
        long takeoverDeadline = System.nanoTime() + PATIENCE.toNanos();
        while (!"active".equals(roles.of(standby)) && System.nanoTime() < takeoverDeadline) {
            Thread.sleep(250);
        }
        assertThat(roles.of(standby)).as(standby + "'s relay after the kill").isEqualTo("active");

        // Every CRQ created is announced by exactly one event (one event id), counted by CRQ id over the whole topic.
        // A record may be there twice: the batch the killed instance had sent to Kafka but not yet confirmed to the
        // slot is sent again by the survivor, with the same event id, which the consumers' inbox skips.
        Map<String, Set<String>> eventIds = new TreeMap<>();
        Map<String, List<Instant>> copies = new TreeMap<>();
        Instant firstBySurvivor = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            eventIds.clear();
            copies.clear();
            firstBySurvivor = null;
            for (ConsumerRecord<String, String> r : records(Topics.CRQ_EVENTS)) {
                JsonNode event = json.readTree(r.value());
                if (!event.path("type").asText().contains(".CrqCreated.")) {
                    continue;
                }
                String crq = event.path("data").path("crqId").asText();
                Instant at = Instant.ofEpochMilli(r.timestamp());
                eventIds.computeIfAbsent(crq, k -> new java.util.TreeSet<>())
                        .add(event.path("id").asText());
                copies.computeIfAbsent(crq, k -> new ArrayList<>()).add(at);
                if (!at.isBefore(killed) && (firstBySurvivor == null || at.isBefore(firstBySurvivor))) {
                    firstBySurvivor = at;
                }
            }
            if (eventIds.keySet().containsAll(created) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(eventIds.keySet()).as("every CRQ announced").containsAll(created);
        assertThat(eventIds)
                .as("one CrqCreated event (one event id) per CRQ")
                .allSatisfy((crq, ids) -> assertThat(ids).as(crq).hasSize(1));
        Map<String, List<Instant>> resent = copies.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        // A record sent twice is one the killed instance relayed just before the kill, sent again after it.
        assertThat(resent)
                .as("records sent twice")
                .allSatisfy((crq, at) -> assertThat(at)
                        .as(crq)
                        .hasSize(2)
                        .anyMatch(t -> t.isBefore(killed) && t.isAfter(killed.minusSeconds(5)))
                        .anyMatch(t -> !t.isBefore(killed)));
        assertThat(firstBySurvivor).as("the survivor relayed").isNotNull();
        System.out.println("relay takeover (kill -> first event relayed by " + standby + "): "
                + Duration.between(killed, firstBySurvivor).toMillis() + " ms; " + eventIds.size()
                + " CRQs, one CrqCreated event each; records sent again after the takeover (the unconfirmed batch,"
                + " skipped by the inbox): " + resent.keySet());
        assertThat(Duration.between(killed, firstBySurvivor)).isLessThan(Duration.ofSeconds(30));
    }

    /** Waits until one instance relays and the other stands by; returns the relaying one. */
    private String awaitRoles() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String a = roles.of("crq-service");
            String b = roles.of("crq-service-2");
            if ("active".equals(a) && "standby".equals(b)) {
                return "crq-service";
            }
            if ("standby".equals(a) && "active".equals(b)) {
                return "crq-service-2";
            }
            Thread.sleep(300);
        }
        throw new AssertionError(
                "no instance relays alone: " + roles.of("crq-service") + " / " + roles.of("crq-service-2"));
    }

    /** Creates a CRQ through an instance's REST API; null if the instance does not answer. */
    private String create(String instance, String title) {
        String auth = "Basic " + Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(platform.url(instance) + "/crqs"))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"title\":\"" + title + "\",\"description\":\"burst\",\"repo\":\"demo\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return json.readTree(r.body()).path("id").asText();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every record the topic holds now, read by a consumer of no group. */
    private List<ConsumerRecord<String, String>> records(String topic) {
        Map<String, Object> config = new HashMap<>(platform.kafkaClientConfig(BrokerCredentials.ADMIN));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, PATIENCE).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            assertThat(partitions).hasSize(Topics.DEFAULT_EVENT_PARTITIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, PATIENCE);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read " + topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
