package io.gitcrq.mergebot.service;

import java.time.Instant;

/** What the merge queue reports to the service's metrics (the metrics package measures it), kept free of them here. */
public interface MergeMeasurements {

    /** A CRQ approved at {@code approvedAt} (its CrqApproved's time) was merged at {@code mergedAt}. */
    void merged(Instant approvedAt, Instant mergedAt);

    /** A queued CRQ was newly blocked (a conflict, a failed check, a moved branch...). */
    void blocked();
}
