package io.gitcrq.audit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.kit.error.ConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retention's cutoff rules (the REST and chain behaviour is in AuditCollectorIT, with retention on). */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void offUnlessConfiguredAndThenAConflictForWhoeverAsks() {
        assertThatThrownBy(() -> Retention.cutoff(Optional.empty(), NOW))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("gitcrq.audit.retention");
    }

    @Test
    void theCutoffIsTheRetentionBeforeNow() {
        assertThat(Retention.cutoff(Optional.of(Duration.parse("P365D")), NOW))
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThatThrownBy(() -> Retention.cutoff(Optional.of(Duration.ZERO), NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Retention.cutoff(Optional.of(Duration.ofDays(-1)), NOW))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reportedAsWritten() {
        assertThat(Retention.iso(Duration.parse("P365D"))).isEqualTo("P365D");
        assertThat(Retention.iso(Duration.parse("PT36H"))).isEqualTo("PT36H");
    }
}
