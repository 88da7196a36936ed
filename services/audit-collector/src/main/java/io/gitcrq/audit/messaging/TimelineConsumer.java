package io.gitcrq.audit.messaging;

import io.gitcrq.audit.service.GovernanceTrail;
import io.gitcrq.audit.timeline.Timeline;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.WebhookSettingsChanged;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds CRQ timelines from the Git, CRQ, merge and exec topics. audit-collector reads no other service's
 * tables: what a timeline shows of a CRQ is what these events said. Entries are keyed by event id and CRQ, so
 * no inbox is needed and records are filed by several writers at once, in any order (a timeline sorts by
 * time). A record that is not a readable event is dead-lettered, as on the audit topic.
 */
@ApplicationScoped
public class TimelineConsumer {

    private final Timeline timeline;
    private final GovernanceTrail governance;

    public TimelineConsumer(Timeline timeline, GovernanceTrail governance) {
        this.timeline = timeline;
        this.governance = governance;
    }

    /** Git events go to timelines; a change of a repository's webhook settings to the governance trail. */
    @Incoming("git-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void git(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        if (EventCodec.dataOf(envelope) instanceof WebhookSettingsChanged changed) {
            governance.record(envelope, changed);
        } else {
            timeline.consume(record);
        }
    }

    @Incoming("crq-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void crq(String record) {
        timeline.consume(record);
    }

    /** Merge events go to timelines; a change of a repository's merge settings to the governance trail. */
    @Incoming("merge-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void merge(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        if (EventCodec.dataOf(envelope) instanceof MergeSettingsChanged changed) {
            governance.record(envelope, changed);
        } else {
            timeline.consume(record);
        }
    }

    @Incoming("exec-requests")
    @Blocking(value = "timeline-writers", ordered = false)
    public void execRequests(String record) {
        timeline.consume(record);
    }

    @Incoming("exec-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void exec(String record) {
        timeline.consume(record);
    }
}
