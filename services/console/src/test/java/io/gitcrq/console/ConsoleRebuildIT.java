package io.gitcrq.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.gitcrq.kafka.KafkaBroker;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A console started on a new database rebuilds its read model from the start of every topic, even though its consumer
 * group has committed offsets past everything: before the console starts, a CRQ is created on the topic and the
 * group's offsets are moved to the end of every partition. Without the rewind the CRQ would never be seen.
 */
@QuarkusTest
@TestProfile(ConsoleRebuildIT.GroupAtTheEnd.class)
class ConsoleRebuildIT {

    static final String CRQ = "CRQ-" + ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);

    /** The console's own profile, with the group's offsets moved past a CRQ created first. */
    public static class GroupAtTheEnd implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CommitGroupAtTheEnd.class));
        }
    }

    public static class CommitGroupAtTheEnd implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            KafkaBroker broker = KafkaBrokerTestResource.broker();
            broker.probe(TopicAccess.CRQ_SERVICE)
                    .send(
                            Topics.CRQ_EVENTS,
                            CRQ,
                            EventCodec.toJson(EventCodec.envelope(
                                    "test",
                                    new CrqCreated(
                                            CRQ,
                                            "before the group's offsets",
                                            "",
                                            "alice",
                                            "rebuilt",
                                            "main",
                                            Instant.now()))));
            try (Admin admin = Admin.create(broker.clientConfig(BrokerCredentials.ADMIN))) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String topic : Topics.ALL) {
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                }
                Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
                admin.listOffsets(latest)
                        .all()
                        .get()
                        .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
                // The console of another test class may still be leaving the group: try until it is empty.
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(() -> {
                            admin.alterConsumerGroupOffsets(TopicAccess.CONSOLE, ends)
                                    .all()
                                    .get();
                            return true;
                        });
            } catch (Exception e) {
                throw new IllegalStateException("cannot move the console group's offsets to the end", e);
            }
            return Map.of();
        }

        @Override
        public void stop() {}
    }

    @Test
    void aNewDatabaseIsFilledFromTheStartOfEveryTopic() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth()
                                .preemptive()
                                .basic("alice", "alice")
                                .get("/crqs/" + CRQ)
                                .statusCode()
                        == 200);
        given().auth()
                .preemptive()
                .basic("alice", "alice")
                .get("/crqs/" + CRQ)
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("before the group&#39;s offsets"));
    }
}
