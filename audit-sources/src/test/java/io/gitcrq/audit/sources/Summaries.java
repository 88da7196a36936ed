package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

final class Summaries {
    private Summaries() {}

    /** The summary is the last record of its source, has captured > 0, a dropped count and seen = captured + dropped, matching the returned counters. */
    static void check(Recorder rec, String kind, SourceCounters counters) {
        assertThat(counters.captured()).isPositive();
        checkCounts(rec, kind, counters);
    }

    /** As {@link #check}, captured 0 allowed. */
    static void checkCounts(Recorder rec, String kind, SourceCounters counters) {
        AuditRecord s = rec.summary(kind);
        java.util.List<AuditRecord> mine = rec.records.stream()
                .filter(r -> r.kind().equals(kind) || r.kind().equals(kind + ".summary"))
                .toList();
        assertThat(mine.get(mine.size() - 1))
                .as("summary is the source's last record")
                .isEqualTo(s);
        assertThat(((Number) s.payload().get("captured")).longValue()).isEqualTo(counters.captured());
        assertThat(s.payload()).containsKey("dropped");
        assertThat(((Number) s.payload().get("dropped")).longValue()).isEqualTo(counters.dropped());
        assertThat(((Number) s.payload().get("seen")).longValue())
                .as("seen = captured + dropped")
                .isEqualTo(counters.seen())
                .isEqualTo(counters.captured() + counters.dropped());
    }
}
