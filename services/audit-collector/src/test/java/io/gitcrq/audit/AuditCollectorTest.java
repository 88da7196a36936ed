package io.gitcrq.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** audit-collector against a real broker and a real PostgreSQL database of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "audit"))
class AuditCollectorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");

    @Inject
    EntityManager em;

    private final TopicProbe topics = new TopicProbe(KafkaBrokerTestResource.broker().bootstrapServers());

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    /** Each test files its events under CRQs and hosts of its own, so tests never see each other's rows. */
    private static String freshCrq() {
        return "CRQ-" + ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private static ObjectNode payload(String command) {
        return EventCodec.mapper().createObjectNode().put("command", command).put("exitCode", 0);
    }

    /** An AuditCaptured as exec-agent sends it: keyed by host, on the audit topic. */
    private CloudEvent send(String host, String crq, String kind, Instant occurredAt, JsonNode payload) {
        CloudEvent envelope = EventCodec.envelope("exec-agent/" + host,
                new AuditCaptured(host, crq, kind, occurredAt, payload));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(envelope));
        return envelope;
    }

    private static void awaitTotal(String query, int total) {
        await().atMost(WAIT).untilAsserted(() -> as("alice").get("/audit?" + query).then()
                .statusCode(200).body("total", equalTo(total)));
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnceWithItsPayload() {
        String crq = freshCrq();
        String host = "host-" + UUID.randomUUID();
        CloudEvent envelope = EventCodec.envelope("exec-agent/" + host, new AuditCaptured(host,
                crq.toLowerCase(), AuditCaptured.KIND_EXEC, BASE, payload("ls -l /etc")));
        String record = EventCodec.toJson(envelope);
        topics.send(Topics.AUDIT_EVENTS, host, record);
        topics.send(Topics.AUDIT_EVENTS, host, record); // a redelivery: same envelope, same id
        // A later event of the same host: once it is stored, the redelivery before it has been handed to the
        // writers too (whose insert could not add a second row anyway: the event id is the key).
        CloudEvent later = send(host, crq, "keystroke", BASE.plusSeconds(60), payload("exit"));
        await().atMost(WAIT).untilAsserted(() -> as("alice").get("/audit/" + later.id()).then().statusCode(200));

        awaitTotal("crq=" + crq + "&kind=exec", 1);
        as("bob").get("/audit?crq=" + crq + "&kind=exec").then().statusCode(200)
                .body("items[0].eventId", equalTo(envelope.id()))
                .body("items[0].host", equalTo(host))
                .body("items[0].crqId", equalTo(crq)) // filed under the printed CRQ id, however the source spelled it
                .body("items[0].kind", equalTo("exec"))
                .body("items[0].occurredAt", equalTo("2024-05-01T10:00:00Z"))
                .body("items[0].payload.command", equalTo("ls -l /etc"))
                .body("items[0].payload.exitCode", equalTo(0));
        as("alice").get("/audit/" + envelope.id()).then().statusCode(200)
                .body("eventId", equalTo(envelope.id())).body("payload.command", equalTo("ls -l /etc"));

        assertThat(count("SELECT count(*) FROM audit_event WHERE event_id = '" + envelope.id() + "'")).isEqualTo(1);
        assertThat(text("SELECT payload->>'command' || ' from ' || source FROM audit_event WHERE event_id = '"
                + envelope.id() + "'")).isEqualTo("ls -l /etc from exec-agent/" + host);
    }

    @Test
    void searchesFilterByCrqHostKindAndTimeNewestFirstAndPage() {
        String crq = freshCrq();
        String other = freshCrq();
        String hostA = "a-" + UUID.randomUUID();
        String hostB = "b-" + UUID.randomUUID();
        // Five events of one CRQ, a minute apart, sent oldest last: the order on the topic is not the order shown.
        List<String> ids = new ArrayList<>(List.of("", "", "", "", ""));
        for (int i = 4; i >= 0; i--) {
            ids.set(i, send(i % 2 == 0 ? hostA : hostB, crq, i % 2 == 0 ? "exec" : "keystroke",
                    BASE.plusSeconds(60L * i), payload("step " + i)).id());
        }
        String otherId = send(hostA, other, "exec", BASE.plusSeconds(30), payload("elsewhere")).id();
        awaitTotal("crq=" + crq, 5);
        awaitTotal("crq=" + other, 1);

        as("alice").get("/audit?crq=" + crq).then().statusCode(200)
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0))))
                .body("items[0].occurredAt", equalTo("2024-05-01T10:04:00Z"))
                .body("page", equalTo(0)).body("size", equalTo(50));
        as("alice").get("/audit?crq=" + crq + "&page=1&size=2").then().statusCode(200)
                .body("items.eventId", equalTo(List.of(ids.get(2), ids.get(1))))
                .body("page", equalTo(1)).body("size", equalTo(2)).body("total", equalTo(5));
        as("alice").get("/audit?crq=" + crq + "&page=2&size=2").then()
                .body("items.eventId", equalTo(List.of(ids.get(0)))).body("total", equalTo(5));
        as("alice").get("/audit?crq=" + crq + "&page=3&size=2").then()
                .body("items.size()", equalTo(0)).body("total", equalTo(5));

        as("alice").get("/audit?host=" + hostA).then()
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(2), otherId, ids.get(0))));
        as("alice").get("/audit?host=" + hostA + "&crq=" + crq).then()
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(2), ids.get(0))));
        as("alice").get("/audit?crq=" + crq + "&kind=keystroke").then()
                .body("items.eventId", equalTo(List.of(ids.get(3), ids.get(1)))).body("total", equalTo(2));
        // from is included, to is not.
        as("alice").get("/audit?crq=" + crq + "&from=2024-05-01T10:01:00Z&to=2024-05-01T10:03:00Z").then()
                .body("items.eventId", equalTo(List.of(ids.get(2), ids.get(1))));
        as("alice").get("/audit?host=" + hostA + "&from=2024-05-01T10:00:00Z&to=2024-05-01T10:01:00Z").then()
                .body("items.eventId", equalTo(List.of(otherId, ids.get(0))));
        as("alice").get("/audit?crq=" + crq + "&host=" + hostB + "&kind=exec").then()
                .body("items.size()", equalTo(0)).body("total", equalTo(0));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String marker = "poison-" + UUID.randomUUID();
        String host = "host-" + UUID.randomUUID();
        String crq = freshCrq();
        topics.send(Topics.AUDIT_EVENTS, host, "{" + marker + " is not an event");
        ObjectNode noCrq = (ObjectNode) EventCodec.mapper().valueToTree(EventCodec.envelope("exec-agent/" + host,
                new AuditCaptured(host, crq, "exec", BASE, payload(marker))));
        ((ObjectNode) noCrq.get("data")).remove("crqId");
        topics.send(Topics.AUDIT_EVENTS, host, noCrq.toString());
        // A type audit-collector does not know is skipped, not dead-lettered.
        ObjectNode unknown = noCrq.deepCopy().put("id", UUID.randomUUID().toString()).put("type", "io.gitcrq.Future.v1");
        topics.send(Topics.AUDIT_EVENTS, host, unknown.toString());
        CloudEvent valid = send(host, crq, "exec", BASE, payload("after the poison"));

        await().atMost(WAIT).untilAsserted(() -> as("alice").get("/audit?crq=" + crq).then()
                .body("total", equalTo(1)).body("items[0].eventId", equalTo(valid.id())));
        List<ConsumerRecord<String, String>> dead =
                topics.awaitAll(Topics.deadLetter("audit-collector"), v -> v.contains(marker), 2, WAIT);
        assertThat(dead).extracting(ConsumerRecord::value)
                .anyMatch(v -> v.startsWith("{" + marker))
                .anyMatch(v -> v.contains(noCrq.get("id").asText()))
                .noneMatch(v -> v.contains(unknown.get("id").asText()));
        assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'")).isEqualTo(1);
    }

    @Test
    void badQueriesAnswerWithProblemBodies() {
        for (String query : List.of("size=0", "size=501", "size=ten", "page=-1", "from=yesterday",
                "to=2024-05-01", "from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z", "crq=nonsense", "crq=CRQ-0")) {
            as("alice").get("/audit?" + query).then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400))
                    .body("detail", containsString(query.substring(0, query.indexOf('='))));
        }
        as("alice").get("/audit?size=500&page=0").then().statusCode(200).body("size", equalTo(500));
        as("alice").get("/audit/no-such-event").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no-such-event"));
        given().get("/audit").then().statusCode(401);
        given().get("/audit/anything").then().statusCode(401);
        given().auth().preemptive().basic("alice", "wrong").get("/audit").then().statusCode(401);
    }

    @Test
    void readyWithoutAnOutboxRelayOrReplicationSlot() {
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'outbox-relay' }.data.enabled", equalTo(false)));
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")).isZero();
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    @Transactional
    String text(String sql) {
        return (String) em.createNativeQuery(sql).getSingleResult();
    }
}
