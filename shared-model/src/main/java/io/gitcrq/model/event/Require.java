package io.gitcrq.model.event;

/** Checks shared by the event records' constructors, so a record with a missing key never exists. */
final class Require {
    private Require() {}

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
