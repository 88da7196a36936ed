package io.gitcrq.audit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A poll is stored in parts of about a megabyte, in its order, each record in exactly one part. */
class AuditEventsConsumerPartsTest {

    @Test
    void recordsAreCutIntoPartsOfAboutAMegabyteInTheirOrder() {
        List<KafkaRecord<String, String>> poll = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            poll.add(KafkaRecord.of("host", String.valueOf(i).repeat(AuditEventsConsumer.PART_CHARS / 3 + 1)));
        }

        List<List<KafkaRecord<String, String>>> parts = AuditEventsConsumer.parts(poll);

        // A part ends with the record that brings it to the size (a third and a little each): three, three, three, one.
        assertThat(parts).extracting(List::size).containsExactly(3, 3, 3, 1);
        assertThat(parts.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(poll);
    }

    @Test
    void smallPollsAndEmptyOnesAreOnePart() {
        List<KafkaRecord<String, String>> poll = List.of(KafkaRecord.of("h", "{}"), KafkaRecord.of("h", "{\"a\":1}"));

        assertThat(AuditEventsConsumer.parts(poll)).containsExactly(poll);
        assertThat(AuditEventsConsumer.parts(List.<KafkaRecord<String, String>>of()))
                .containsExactly(List.of());
    }
}
