package io.gitcrq.execagent.audit;

import io.gitcrq.model.audit.SourceSummary;

/**
 * What the audit ledger reports to the agent's metrics (the metrics package measures it), kept free of them here.
 * Called within the ledger's transaction: an implementation counts what that transaction commits.
 */
public interface AuditMeasurements {

    /** The agent received {@code records} records of a source of this kind and published them as audit events. */
    void sourceRecords(String source, int records);

    /** A source of this kind stopped, saying in its summary what it saw, captured and dropped over its exec. */
    void sourceStopped(String source, SourceSummary summary);
}
