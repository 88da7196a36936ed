package io.gitcrq.audit.rest;

import io.gitcrq.audit.repository.AuditFilter;
import io.gitcrq.kit.rest.ProblemException;
import io.gitcrq.model.policy.CrqId;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of {@code GET /audit}, checked. They arrive as text and are parsed here, because a
 * number or date JAX-RS fails to convert would answer 404 instead of saying what is wrong.
 */
public record AuditQuery(AuditFilter filter, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public static AuditQuery of(
            String crq, String host, String kind, String repo, String from, String to, String page, String size) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ProblemException.badRequest("from (" + from + ") must be before to (" + to + ")");
        }
        AuditFilter filter = new AuditFilter(
                crqId(crq), blankToNull(host), blankToNull(kind), blankToNull(repo), fromInstant, toInstant);
        return new AuditQuery(
                filter, number("page", page, 0, 0, Integer.MAX_VALUE), number("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
    }

    static String crqId(String crq) {
        if (blankToNull(crq) == null) {
            return null;
        }
        try {
            return CrqId.parse(crq).toString();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("crq: " + e.getMessage());
        }
    }

    static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    name + " is not an ISO-8601 instant (e.g. 2024-05-01T12:00:00Z): " + value);
        }
    }

    static int number(String name, String value, int absent, int min, int max) {
        if (blankToNull(value) == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw ProblemException.badRequest(name + " must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ": " + value);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
