package io.gitcrq.crq;

import static io.gitcrq.crq.CrqRequests.as;
import static io.gitcrq.crq.CrqRequests.createCrq;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.db.DatabaseConfig;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import io.gitcrq.kit.testing.OtherRelayInstance;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replication slot can be lost: PostgreSQL invalidates one that falls further behind than
 * {@code max_slot_wal_keep_size}, and a failover or an operator leaves none. What the outbox held and had not relayed
 * is then only in its table: the relay makes the slot anew and sends those rows again, in the order they were written,
 * before it reads the new slot. Here the test plays another instance holding the relay lease while events wait, then
 * loses the slot (invalidated for real on a server of the test's own, or dropped) and lets the service take over.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestProfile(SlotLimitedServerProfile.class)
class RelaySlotRecoveryIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    DatabaseConfig db;

    @Inject
    OutboxRelayConfig relay;

    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.MERGE_BOT);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Never on the shared server: the segment switches below would make every other slot there lose its WAL. */
    @BeforeEach
    void onTheTestsOwnServer() throws SQLException {
        try (Connection c = db.connect(db.name());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW max_slot_wal_keep_size")) {
            rs.next();
            assertThat(rs.getString(1))
                    .as("the service runs on the test's own server")
                    .isEqualTo(SlotLimitedServerProfile.MAX_SLOT_WAL_KEEP_SIZE);
        }
    }

    @Test
    void anInvalidatedSlotIsMadeAnewAndWhatItHeldIsSentFromTheTable() throws Exception {
        awaitRelay("active");
        String slot = relay.slotName(db.name());
        String waiting;
        try (OtherRelayInstance other = holdTheLease(slot)) {
            waiting = create("written while the slot falls behind " + run);
            invalidate(other.session(), slot);
            assertThat(walStatus(other.session(), slot)).isEqualTo("lost");
        }
        awaitRelay("active");
        assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, waiting), 1, PATIENCE))
                .as("the row the invalidated slot held, sent from the table once")
                .hasSize(1);
        assertRecovered(slot);
    }

    @Test
    void aSlotInvalidatedWhileTheRelayReadsItIsMadeAnewAndRelayingGoesOn() throws Exception {
        awaitRelay("active");
        String slot = relay.slotName(db.name());
        String before = create("relayed before the slot is invalidated under the relay " + run);
        topics.await(Topics.CRQ_EVENTS, v -> isCreated(v, before), PATIENCE);
        double republished = republished();
        try (Connection c = db.connect(db.name())) {
            // PostgreSQL ends the reading process and invalidates the slot; Debezium would retry against it for ever.
            // Filling stops once the loss shows (the slot lost or gone, a republication noted, or done): filling on
            // would invalidate the new slot too before its reader confirms a position in it.
            fillWalUntil(
                    c,
                    "the slot is invalidated",
                    () -> isLostOrGone(walStatus(c, slot)) || republicationOwed(c) || republished() > republished);
        }
        assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, before), 2, PATIENCE))
                .as("relayed before the loss, sent again from the table")
                .hasSize(2);
        assertRecovered(slot);
        awaitRelay("active");
        String after = create("written after the slot was made anew under the relay " + run);
        assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, after), 1, PATIENCE))
                .as("relaying goes on from the new slot")
                .hasSize(1);
    }

    private double republished() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^gitcrq_outbox_events_republished_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aMissingSlotIsMadeAnewAndWhatItHeldIsSentAgainInTheOrderItWasWritten() throws Exception {
        awaitRelay("active");
        String slot = relay.slotName(db.name());
        String relayedBefore = create("relayed before the slot is lost " + run);
        topics.await(Topics.CRQ_EVENTS, v -> isCreated(v, relayedBefore), PATIENCE);
        String created;
        String edited = "edited while the slot is gone " + run;
        try (OtherRelayInstance other = holdTheLease(slot)) {
            created = create("written while another instance relays " + run);
            as("alice")
                    .body("{\"title\":\"" + edited + "\"}")
                    .patch("/crqs/" + created.substring(created.indexOf('|') + 1))
                    .then()
                    .statusCode(200);
            dropSlot(other.session(), slot); // as a failover to a standby without the slot, or an operator, would
        }
        awaitRelay("active");
        List<ConsumerRecord<String, String>> createdRecords =
                topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, created), 1, PATIENCE);
        List<ConsumerRecord<String, String>> editedRecords =
                topics.awaitAll(Topics.CRQ_EVENTS, v -> v.contains("CrqEdited") && v.contains(edited), 1, PATIENCE);
        assertThat(createdRecords)
                .as("written while the slot was gone: sent once")
                .hasSize(1);
        assertThat(editedRecords).hasSize(1);
        assertThat(editedRecords.get(0).partition())
                .isEqualTo(createdRecords.get(0).partition());
        assertThat(editedRecords.get(0).offset())
                .as("a CRQ's events in the order they were written")
                .isGreaterThan(createdRecords.get(0).offset());
        assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, relayedBefore), 2, PATIENCE))
                .as("relayed shortly before the loss: sent again (the consumers' inbox skips it)")
                .hasSize(2);
        assertRecovered(slot);

        String after = create("written after the recovery " + run);
        assertThat(topics.awaitAll(Topics.CRQ_EVENTS, v -> isCreated(v, after), 1, PATIENCE))
                .as("relayed from the new slot, once")
                .hasSize(1);
    }

    /** Nothing owed any more, the new slot keeps its WAL, and the metric counts what was sent again. */
    private void assertRecovered(String slot) throws SQLException {
        try (Connection c = db.connect(db.name())) {
            assertThat(walStatus(c, slot)).isIn("reserved", "extended");
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox_relay_recovery")) {
                rs.next();
                assertThat(rs.getInt(1)).as("republication done").isZero();
            }
        }
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("gitcrq_outbox_events_republished_total(\\{[^}]*\\})? [1-9]");
    }

    /** A CRQ with a title unique to this run; returns "title|id". */
    private String create(String title) {
        String id = createCrq("alice", title);
        return title + "|" + id;
    }

    private static boolean isCreated(String value, String titleAndId) {
        return value.contains("CrqCreated") && value.contains(titleAndId.substring(0, titleAndId.indexOf('|')));
    }

    /** Takes the relay lease as another instance would; the service goes standby and lets go of its slot. */
    private OtherRelayInstance holdTheLease(String slot) throws Exception {
        OtherRelayInstance other = OtherRelayInstance.takeLease(db.connect(db.name()), slot, PATIENCE);
        awaitRelay("standby");
        await().atMost(PATIENCE).until(() -> !slotActive(other.session(), slot));
        return other;
    }

    /** Makes PostgreSQL invalidate the slot, which no one reads meanwhile. */
    private static void invalidate(Connection c, String slot) throws Exception {
        fillWalUntil(c, "the slot is invalidated", () -> "lost".equals(walStatus(c, slot)));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Writes WAL past the server's max_slot_wal_keep_size (a segment switch after each write) and checkpoints, when
     * PostgreSQL invalidates a slot that far behind, until {@code done} holds.
     */
    private static void fillWalUntil(Connection c, String what, Condition done) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS wal_filler (n int)");
            Instant deadline = Instant.now().plus(PATIENCE);
            while (!done.holds()) {
                assertThat(Instant.now()).as(what).isBefore(deadline);
                for (int i = 0; i < 3; i++) {
                    s.execute("INSERT INTO wal_filler VALUES (1)");
                    s.execute("SELECT pg_switch_wal()");
                }
                s.execute("CHECKPOINT");
                Thread.sleep(200);
            }
        }
    }

    private static void dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            p.setString(1, slot);
            p.execute();
        }
    }

    private static String walStatus(Connection c, String slot) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean isLostOrGone(String walStatus) {
        return walStatus == null || "lost".equals(walStatus);
    }

    private static boolean republicationOwed(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox_relay_recovery")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static boolean slotActive(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void awaitRelay(String role) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .body("checks.find { it.name == 'outbox-relay' }.data.relay", equalTo(role)));
    }
}
