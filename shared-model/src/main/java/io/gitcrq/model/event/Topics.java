package io.gitcrq.model.event;

import java.util.List;

/**
 * Every Kafka topic of gitcrq, defined once. Each topic's partition key is fixed by {@link EventType}:
 * repository for Git events, CRQ id for CRQ and merge events, host for exec and audit events, so that
 * the events of one repository, CRQ or host are consumed in order.
 */
public final class Topics {
    public static final String GIT_EVENTS = "gitcrq.git-events.v1";
    public static final String CRQ_EVENTS = "gitcrq.crq-events.v1";
    public static final String MERGE_EVENTS = "gitcrq.merge-events.v1";
    public static final String EXEC_REQUESTS = "gitcrq.exec-requests.v1";
    public static final String EXEC_EVENTS = "gitcrq.exec-events.v1";
    public static final String AUDIT_EVENTS = "gitcrq.audit-events.v1";

    /** Records a consumer could not process land here, one topic per consuming service. */
    public static String deadLetter(String service) {
        return "gitcrq.dead-letter." + service;
    }

    public static final List<String> ALL =
            List.of(GIT_EVENTS, CRQ_EVENTS, MERGE_EVENTS, EXEC_REQUESTS, EXEC_EVENTS, AUDIT_EVENTS);

    private Topics() {}
}
