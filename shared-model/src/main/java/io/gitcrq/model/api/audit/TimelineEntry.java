package io.gitcrq.model.api.audit;

import java.time.Instant;

/**
 * One line of a CRQ's timeline: when, from which stream ({@code git}, {@code crq}, {@code merge}, {@code exec},
 * {@code audit}), the event type, a one-line summary and the event id (the CloudEvents id, for looking it up).
 */
public record TimelineEntry(Instant at, String source, String type, String summary, String eventId) {}
