package io.gitcrq.model.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The canonical form, spelled out: what an auditor's own implementation must produce. */
class CanonicalTest {

    @Test
    void keysSortedByCodePointNoWhitespaceAsciiOnly() {
        String json =
                "{ \"z\": 1, \"a\": { \"y\": true, \"b\": null }, \"\u00e9\": \"caf\u00e9\", \"\uD83D\uDE00\": [],"
                        + " \"\uFB01\": \"ligature\", \"A\": \"x\" }";
        // U+FB01 sorts before U+1F600 by code point, though its UTF-16 unit is greater than the surrogate's.
        assertThat(Canonical.of(json))
                .isEqualTo("{\"A\":\"x\",\"a\":{\"b\":null,\"y\":true},\"z\":1,"
                        + "\"\\u00e9\":\"caf\\u00e9\",\"\\ufb01\":\"ligature\",\"\\ud83d\\ude00\":[]}");
    }

    @Test
    void stringsEscapeQuotesBackslashesAndEverythingOutsidePrintableAscii() {
        assertThat(Canonical.of("\"tab\\there \\\"q\\\" back\\\\slash /\\u0001\\u007f\\b\\f\\n\\r\""))
                .isEqualTo("\"tab\\there \\\"q\\\" back\\\\slash /\\u0001\\u007f\\b\\f\\n\\r\"");
        assertThat(Canonical.of("\"\\u00E9\\/\"")).isEqualTo("\"\\u00e9/\"");
    }

    @Test
    void numbersAreTheirExactValueInShortestPlainDecimal() {
        assertThat(Canonical.of(
                        "[1.50, 1e3, 2.0, -0, -0.0, 0.000, 1E-7, 2.0E-7, 0.1, -12.340, 12345678901234567890123, 1e+2]"))
                .isEqualTo("[1.5,1000,2,0,0,0,0.0000001,0.0000002,0.1,-12.34,12345678901234567890123,100]");
        // Never through a double: 0.1 + tiny stays exactly what was written.
        assertThat(Canonical.of("0.10000000000000000000001")).isEqualTo("0.10000000000000000000001");
    }

    @Test
    void theHashedEventAndItsHash() {
        Instant at = Instant.parse("2024-05-01T10:00:00.250Z");
        String canonical =
                ChainHash.canonical("ev-1", "build-01", "CRQ-3", "exec", at, "{\"exitCode\":0,\"command\":\"ls\"}", 1);
        assertThat(canonical)
                .isEqualTo(
                        "{\"crqId\":\"CRQ-3\",\"eventId\":\"ev-1\",\"host\":\"build-01\",\"kind\":\"exec\","
                                + "\"occurredAt\":\"2024-05-01T10:00:00.250Z\",\"payload\":{\"command\":\"ls\",\"exitCode\":0},\"sequence\":1}");
        // sha256(64 zeros + canonical), as e.g. `printf '%s%s' "$GENESIS" "$CANONICAL" | sha256sum` gives it.
        assertThat(ChainHash.hash(ChainHash.GENESIS, canonical))
                .isEqualTo("3fc1259659b3e667207c2f3efcde430b98a117950e44c62dfeee458e60b743a3")
                .isEqualTo(ChainHash.hash(
                        ChainHash.GENESIS,
                        "ev-1",
                        "build-01",
                        "CRQ-3",
                        "exec",
                        at,
                        "{ \"command\" : \"ls\", \"exitCode\" : 0.0 }",
                        1))
                .isNotEqualTo(ChainHash.hash(
                        ChainHash.GENESIS,
                        "ev-1",
                        "build-01",
                        "CRQ-3",
                        "exec",
                        at,
                        "{\"command\":\"ls\",\"exitCode\":1}",
                        1));
    }

    @Test
    void notJsonIsRefused() {
        assertThatThrownBy(() -> Canonical.of("{nope")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Instants are written as {@code Instant.toString()} writes them, in and outside the fast path's years. */
    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() {
        java.util.Random random = new java.util.Random(7);
        java.util.List<java.time.Instant> instants = new java.util.ArrayList<>(java.util.List.of(
                java.time.Instant.EPOCH,
                java.time.Instant.parse("1969-12-31T23:59:59.999999999Z"),
                java.time.Instant.parse("2024-02-29T23:59:59Z"),
                java.time.Instant.parse("2026-01-02T03:04:05.1Z"),
                java.time.Instant.parse("2026-01-02T03:04:05.000001Z"),
                java.time.Instant.parse("2026-01-02T03:04:05.000000001Z"),
                java.time.Instant.parse("9999-12-31T23:59:59.999999999Z"),
                java.time.Instant.parse("+10000-01-01T00:00:00Z"),
                java.time.Instant.MIN,
                java.time.Instant.MAX));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(java.time.Instant.ofEpochSecond(seconds, nano));
        }
        for (java.time.Instant t : instants) {
            assertThat(Canonical.instant(t)).as("%s", t).isEqualTo(t.toString());
        }
    }
}
