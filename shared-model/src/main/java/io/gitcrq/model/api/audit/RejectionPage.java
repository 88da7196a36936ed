package io.gitcrq.model.api.audit;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /audit/rejections}: how many audit events audit-collector refused to chain ({@code total}, kept
 * across restarts) and the latest of them, newest first.
 */
public record RejectionPage(long total, List<Rejection> latest) {

    /** One refused event: what it claimed (host, key), why it was refused, and when. */
    public record Rejection(
            String eventId, String eventType, String hostClaimed, String keyId, String reason, Instant rejectedAt) {}
}
