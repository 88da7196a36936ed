package io.gitcrq.audit.timeline;

import io.gitcrq.audit.repository.TimelineRepository;
import io.gitcrq.model.api.audit.TimelineEntry;
import io.gitcrq.model.api.audit.TimelinePage;
import io.gitcrq.model.chain.Canonical;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * CRQ timelines: the CRQ's Git, CRQ, merge and exec events (kept in {@code timeline_entry} as they are
 * consumed from their topics) merged in time order with its audit events.
 */
@ApplicationScoped
public class Timeline {

    private static final Logger LOG = Logger.getLogger(Timeline.class);

    private final TimelineRepository rows;

    public Timeline(TimelineRepository rows) {
        this.rows = rows;
    }

    /**
     * Files an event of a Git, CRQ, merge or exec topic (read with {@code EventCodec}) under the CRQs it names; an event
     * of an unknown type ({@code data} null), or about no CRQ, adds nothing. Each entry is keyed by event id and CRQ,
     * so a redelivery adds nothing either.
     */
    @Transactional
    public int consume(CloudEvent envelope, DomainEvent data) {
        if (data == null) {
            LOG.debugf("skipping %s event %s: unknown type", envelope.type(), envelope.id());
            return 0;
        }
        int added = 0;
        for (TimelineEntries.ForCrq entry : TimelineEntries.of(envelope, data, Instant.now())) {
            TimelineEntry e = entry.entry();
            added += rows.insert(entry.crqId(), e.eventId(), e.at(), e.source(), e.type(), e.summary());
        }
        return added;
    }

    /** A page of the CRQ's timeline, oldest first (ties by event id); total 0 when nothing is known of it. */
    @Transactional
    public TimelinePage of(String crqId, int page, int size) {
        long total = rows.count(crqId);
        List<TimelineEntry> entries = new ArrayList<>();
        if (total > 0) {
            for (TimelineRepository.Row row : rows.page(crqId, page, size)) {
                String summary = TimelineEntries.AUDIT.equals(row.source())
                        ? TimelineEntries.auditSummary(row.kind(), row.host(), Canonical.parse(row.payload()))
                        : row.summary();
                entries.add(new TimelineEntry(row.at(), row.source(), row.type(), summary, row.eventId()));
            }
        }
        return new TimelinePage(crqId, entries, page, size, total);
    }
}
