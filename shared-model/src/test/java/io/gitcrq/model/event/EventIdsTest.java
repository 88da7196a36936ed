package io.gitcrq.model.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingTheTimeItWasMade() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(EventIds.next());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        // Ids made before in this JVM may have run the counter ahead of the clock (4,096 a millisecond), never behind.
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after + 1_000);
    }

    @Test
    void idsMadeOneAfterTheOtherSortAsTextInTheOrderTheyWereMade() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(EventIds.next());
        }

        assertThat(ids).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    }

    @Test
    void moreIdsInOneMillisecondThanTheCounterHoldsStillIncrease() {
        EventIds generator = new EventIds();
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ids.add(generator.at(now).toString());
        }

        assertThat(ids).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
        assertThat(ids)
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
    }

    @Test
    void aClockSetBackDoesNotSendTheIdsBack() {
        EventIds generator = new EventIds();
        long now = System.currentTimeMillis();
        String before = generator.at(now).toString();

        String after = generator.at(now - 3_600_000).toString();

        assertThat(after).isGreaterThan(before);
    }

    @Test
    void idsMadeInTheSameMillisecondDifferInTheirRandomPart() {
        EventIds generator = new EventIds();
        long now = System.currentTimeMillis();
        UUID first = generator.at(now);
        UUID second = generator.at(now);

        assertThat(second.getLeastSignificantBits()).isNotEqualTo(first.getLeastSignificantBits());
    }
}
