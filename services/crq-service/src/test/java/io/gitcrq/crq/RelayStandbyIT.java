package io.gitcrq.crq;

import static io.gitcrq.crq.CrqRequests.createCrq;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.kit.testing.OtherRelayInstance;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Several instances of crq-service share its database, and one relays its outbox: here the test plays the other
 * instance. It ends the relaying session (as a SIGKILL of its process would) and takes the relay lease itself; the
 * service goes standby (ready, serving its API, "relay: standby"), what it writes meanwhile waits in its outbox, and
 * when the lease is free again it takes over and relays it once.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "crq"))
class RelayStandbyIT {

    @Inject
    DatabaseConfig db;

    @Inject
    OutboxRelayConfig relay;

    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.MERGE_BOT);

    @Test
    void aStandbyInstanceServesAndTakesTheRelayOverWhenTheLeaseIsFreeLosingNothing() throws Exception {
        awaitRelay("active");
        String slot = relay.slotName(db.name());
        // The relaying instance dies: its lease session ends. The other instance (this test) takes the lease.
        try (OtherRelayInstance other =
                OtherRelayInstance.takeLease(db.connect(db.name()), slot, Duration.ofSeconds(30))) {
            awaitRelay("standby");
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

            // Titled uniquely: the topic holds the CRQs of every test database, whose numbers repeat.
            String title = "written on a standby " + UUID.randomUUID();
            createCrq("alice", title);
            assertThatThrownBy(() -> topics.await(Topics.CRQ_EVENTS, v -> isCreated(v, title), Duration.ofSeconds(3)))
                    .as("a standby relays nothing")
                    .isInstanceOf(AssertionError.class);

            // This "instance" stops: its session ends and the service takes over, relaying what waited.
            other.close();
            Instant released = Instant.now();
            awaitRelay("active");
            assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, title), 1, Duration.ofSeconds(60)))
                    .as("relayed once after the takeover")
                    .hasSize(1);
            System.out.println("relay takeover after the lease was freed: "
                    + Duration.between(released, Instant.now()).toMillis() + " ms");
        }
    }

    private static boolean isCreated(String value, String title) {
        return value.contains("CrqCreated") && value.contains(title);
    }

    private void awaitRelay(String role) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .body("checks.find { it.name == 'outbox-relay' }.data.relay", equalTo(role)));
    }
}
