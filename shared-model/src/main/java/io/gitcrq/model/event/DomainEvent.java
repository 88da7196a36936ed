package io.gitcrq.model.event;

/**
 * The data of a gitcrq event. Each implementation is a record registered once in {@link EventType}, which
 * fixes its CloudEvents type, version and topic.
 */
public interface DomainEvent {
    /** The Kafka record key: what must stay in order (repository, CRQ id or host). */
    String partitionKey();

    /** The CloudEvents subject: the thing the event is about, for people reading the stream. */
    String subject();
}
