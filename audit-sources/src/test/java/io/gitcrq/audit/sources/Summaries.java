package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

final class Summaries {
    private Summaries() {}

    /** The summary is the last record of its source, has captured > 0 and a dropped count, matching the returned counters. */
    static void check(Recorder rec, String kind, SourceCounters counters) {
        AuditRecord s = rec.summary(kind);
        java.util.List<AuditRecord> mine = rec.records.stream()
                .filter(r -> r.kind().equals(kind) || r.kind().equals(kind + ".summary"))
                .toList();
        assertThat(mine.get(mine.size() - 1))
                .as("summary is the source's last record")
                .isEqualTo(s);
        assertThat(((Number) s.payload().get("captured")).longValue())
                .isPositive()
                .isEqualTo(counters.captured());
        assertThat(s.payload()).containsKey("dropped");
        assertThat(((Number) s.payload().get("dropped")).longValue()).isEqualTo(counters.dropped());
    }
}
