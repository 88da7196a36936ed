package io.gitcrq.model.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A change request's id, {@code CRQ-<n>}; parsed in any case, always printed upper case. */
public record CrqId(long number) implements Comparable<CrqId> {

    private static final Pattern EXACT = Pattern.compile("(?i)CRQ-([1-9][0-9]{0,17})");

    public CrqId {
        if (number < 1) {
            throw new IllegalArgumentException("a CRQ number is positive: " + number);
        }
    }

    /** Parses {@code CRQ-12} (or {@code crq-12}); anything else is an {@link IllegalArgumentException}. */
    public static CrqId parse(String text) {
        Matcher m = text == null ? null : EXACT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a CRQ id (expected CRQ-<n>): " + text);
        }
        return new CrqId(Long.parseLong(m.group(1)));
    }

    public static boolean isValid(String text) {
        return text != null && EXACT.matcher(text.trim()).matches();
    }

    @Override
    public int compareTo(CrqId other) {
        return Long.compare(number, other.number);
    }

    @Override
    public String toString() {
        return "CRQ-" + number;
    }
}
