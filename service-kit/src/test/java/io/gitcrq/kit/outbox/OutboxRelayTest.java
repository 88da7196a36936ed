package io.gitcrq.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** What the relay makes of Debezium's change records of outbox_event (as Kafka Connect Structs). */
class OutboxRelayTest {

    private static final Schema ROW = SchemaBuilder.struct()
            .optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("topic", Schema.STRING_SCHEMA)
            .field("message_key", Schema.STRING_SCHEMA)
            .field("event_type", Schema.STRING_SCHEMA)
            .field("payload", Schema.STRING_SCHEMA)
            .build();
    private static final Schema CHANGE = SchemaBuilder.struct()
            .field("before", ROW)
            .field("after", ROW)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    @Test
    void anInsertGoesToItsTopicWithItsKeyAndPayload() {
        KafkaPublisher.Outgoing out = OutboxRelay.toOutgoing(change("c", row()));

        assertThat(out).isEqualTo(new KafkaPublisher.Outgoing("gitcrq.audit-events", "dev-1", "{\"id\":\"e1\"}"));
    }

    @Test
    void theRowsWritingTimeComesAlongForTheRelayDelay() {
        Schema timed = SchemaBuilder.struct()
                .optional()
                .field("topic", Schema.STRING_SCHEMA)
                .field("message_key", Schema.STRING_SCHEMA)
                .field("payload", Schema.STRING_SCHEMA)
                .field("created_at", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema change = SchemaBuilder.struct()
                .field("after", timed)
                .field("op", Schema.STRING_SCHEMA)
                .build();
        Struct row = new Struct(timed)
                .put("topic", "gitcrq.crq-events.v1")
                .put("message_key", "CRQ-1")
                .put("payload", "{}")
                .put("created_at", "2026-12-02T14:30:41.123456Z");

        KafkaPublisher.Outgoing out =
                OutboxRelay.toOutgoing(new Struct(change).put("op", "c").put("after", row));

        assertThat(out.createdAt()).isEqualTo(java.time.Instant.parse("2026-12-02T14:30:41.123456Z"));
    }

    @Test
    void updatesDeletesAndWhatIsNoRowChangeAreNotEvents() {
        assertThat(OutboxRelay.toOutgoing(change("u", row()))).isNull();
        assertThat(OutboxRelay.toOutgoing(change("d", null))).isNull();
        assertThat(OutboxRelay.toOutgoing(null)).isNull();
        Schema heartbeat =
                SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        assertThat(OutboxRelay.toOutgoing(new Struct(heartbeat).put("ts_ms", 1L)))
                .isNull();
    }

    private static Struct row() {
        return new Struct(ROW)
                .put("id", "e1")
                .put("topic", "gitcrq.audit-events")
                .put("message_key", "dev-1")
                .put("event_type", "gitcrq.audit.captured")
                .put("payload", "{\"id\":\"e1\"}");
    }

    private static Struct change(String op, Struct after) {
        return new Struct(CHANGE).put("op", op).put("after", after);
    }
}
