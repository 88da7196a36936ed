package io.gitcrq.audit.messaging;

/** Why a readable event was dead-lettered: its host's signature was refused (the reason says how). */
final class RefusedEventException extends RuntimeException {

    RefusedEventException(String eventId, String reason) {
        super("event " + eventId + " refused: " + reason, null, false, false);
    }
}
