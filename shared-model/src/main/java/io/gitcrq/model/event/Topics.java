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
    /** What agents did through mcp-server: each MCP tool call (AgentToolCalled). */
    public static final String AGENT_EVENTS = "gitcrq.agent-events.v1";

    /** Records a consumer could not process land here, one topic per consuming service. */
    public static String deadLetter(String service) {
        return "gitcrq.dead-letter." + service;
    }

    public static final List<String> ALL =
            List.of(GIT_EVENTS, CRQ_EVENTS, MERGE_EVENTS, EXEC_REQUESTS, EXEC_EVENTS, AUDIT_EVENTS, AGENT_EVENTS);

    /**
     * Partitions of an event topic unless the broker is told otherwise: the most instances of one consumer group that
     * share a topic's work. The local broker (KafkaBroker), docker-compose's topics.conf and k8s' KafkaTopics all use
     * this count (DeploymentManifestsTest checks the manifests against it).
     */
    public static final int DEFAULT_EVENT_PARTITIONS = 6;

    /** A dead-letter topic is read by people, not by a consumer group: one partition keeps it in order. */
    public static final int DEAD_LETTER_PARTITIONS = 1;

    /** The partitions of a topic of gitcrq, given the partitions of event topics. */
    public static int partitions(String topic, int eventPartitions) {
        if (ALL.contains(topic)) {
            return eventPartitions;
        }
        if (topic.startsWith(deadLetter(""))) {
            return DEAD_LETTER_PARTITIONS;
        }
        throw new IllegalArgumentException("not a topic of gitcrq: " + topic);
    }

    private Topics() {}
}
