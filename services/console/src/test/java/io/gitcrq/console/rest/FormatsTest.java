package io.gitcrq.console.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the pages write times, latencies and links. */
class FormatsTest {

    @Test
    void timesLatenciesAndPathSegments() {
        assertThat(Formats.utc(Instant.parse("2026-12-02T17:08:58.123Z"))).isEqualTo("2026-12-02 17:08:58Z");
        assertThat(Formats.utc(null)).isEmpty();
        assertThat(Formats.human(Duration.ofMillis(450))).isEqualTo("450 ms");
        assertThat(Formats.human(Duration.ofSeconds(63))).isEqualTo("1m 3s");
        assertThat(Formats.human(Duration.ofSeconds(3 * 3600 + 5))).isEqualTo("3h 0m 5s");
        assertThat(Formats.human(null)).isEmpty();
        assertThat(Formats.seg("a b/c?d")).isEqualTo("a%20b%2Fc%3Fd");
        assertThat(Formats.abbrev("0123456789abcdef")).isEqualTo("0123456789ab");
    }
}
