package io.gitcrq.audit.repository;

import java.nio.charset.StandardCharsets;

/**
 * Rows in PostgreSQL's COPY text format: columns separated by a tab, rows ended by a newline, {@code \N} for null, and
 * in a value the backslash, tab, newline and carriage return written as escapes (so a JSON text's own backslashes
 * are doubled). One row after another, then {@link #bytes} once.
 */
final class CopyText {

    private final StringBuilder out;
    private boolean rowStarted;

    CopyText(int expectedBytes) {
        out = new StringBuilder(expectedBytes);
    }

    CopyText value(String value) {
        separate();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            String escape = switch (value.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                out.append(value, plainFrom, i).append(escape);
                plainFrom = i + 1;
            }
        }
        out.append(value, plainFrom, value.length());
        return this;
    }

    CopyText value(Number value) {
        separate();
        out.append(value == null ? "\\N" : value.toString());
        return this;
    }

    CopyText value(long value) {
        separate();
        out.append(value);
        return this;
    }

    CopyText endRow() {
        out.append('\n');
        rowStarted = false;
        return this;
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void separate() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }
}
