package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.repository.EmittedCommits;
import io.gitcrq.kit.rest.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of {@code GET /repos/<name>/unlinked-commits}, checked. They arrive as text and are
 * parsed here, because a number or time JAX-RS fails to convert would answer 404 instead of saying what is wrong.
 */
public record UnlinkedQuery(EmittedCommits.UnlinkedFilter filter, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    // page * size must stay an int offset.
    private static final int MAX_PAGE = Integer.MAX_VALUE / MAX_SIZE;
    private static final int DATE_LENGTH = "2025-03-01".length();

    public static UnlinkedQuery of(String repo, String branch, String from, String to, String page, String size) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ProblemException.badRequest("from (" + from.trim() + ") must be before to (" + to.trim() + ")");
        }
        EmittedCommits.UnlinkedFilter filter =
                new EmittedCommits.UnlinkedFilter(repo, blankToNull(branch), fromInstant, toInstant);
        return new UnlinkedQuery(
                filter, number("page", page, 0, 0, MAX_PAGE), number("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
    }

    public int offset() {
        return page * size;
    }

    /**
     * An ISO-8601 date-time with its offset ({@code 2025-03-01T09:00:00Z}, {@code 2025-03-01T10:00+01:00}) or a
     * date ({@code 2025-03-01}: its start, UTC).
     */
    private static Instant instant(String name, String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        text = text.trim();
        try {
            return text.length() == DATE_LENGTH
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " is not an ISO-8601 instant (e.g. 2025-03-01T09:00:00Z or "
                    + "2025-03-01T10:00+01:00) or date (2025-03-01): " + text);
        }
    }

    private static int number(String name, String value, int absent, int min, int max) {
        String text = blankToNull(value);
        if (text == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw ProblemException.badRequest(name + " must be a whole number from " + min + " to " + max + ": " + text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
