package io.gitcrq.audit.service;

import io.gitcrq.audit.domain.SignatureCheck;

/**
 * What the audit trail reports to the service's metrics (the metrics package measures it), kept free of them here.
 * Called within the storing transaction: an implementation counts what that transaction commits.
 */
public interface AuditMeasurements {

    /** {@code rows} audit events were appended to their chains (redeliveries are not). */
    void stored(int rows);

    /** An event was refused (counted once per event id), for this kind of reason. */
    void rejected(SignatureCheck.Refusal refusal);

    /** {@code events} were held for a key their host has not registered yet. */
    void held(int events);
}
