package io.gitcrq.audit.repository;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Rows in PostgreSQL's COPY text format: columns separated by a tab, rows ended by a newline, {@code \N} for null, and
 * in a value the backslash, tab, newline and carriage return written as escapes (so a JSON text's own backslashes
 * are doubled). Written to the {@link Sink} (the COPY under way) about {@value #FLUSH_AT} characters at a time, after
 * a whole row: a poll's rows are megabytes, and text built whole was copied three times over (grown, made a string,
 * encoded) in arrays large enough to outlive young collections.
 */
final class CopyText {

    /** Where the text goes, UTF-8 encoded: PgJDBC's {@code CopyIn.writeToCopy}. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] data, int offset, int length) throws SQLException;
    }

    static final int FLUSH_AT = 64 * 1024;

    private final Sink sink;
    private final StringBuilder out = new StringBuilder(FLUSH_AT + 4 * 1024);
    private boolean rowStarted;

    CopyText(Sink sink) {
        this.sink = sink;
    }

    CopyText value(String value) {
        separate();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        // Most values hold nothing to escape (canonical JSON has no raw control characters): four scans that the JVM
        // vectorizes find that out faster than one loop over the characters, and the value is appended whole.
        if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            out.append(value);
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

    /** Ends the row; the text so far goes to the sink once it is {@value #FLUSH_AT} characters or more. */
    CopyText endRow() throws SQLException {
        out.append('\n');
        rowStarted = false;
        if (out.length() >= FLUSH_AT) {
            flush();
        }
        return this;
    }

    /** Sends what is left to the sink: after the last row. */
    void finish() throws SQLException {
        flush();
    }

    private void flush() throws SQLException {
        if (out.length() > 0) {
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            sink.write(bytes, 0, bytes.length);
            out.setLength(0);
        }
    }

    private void separate() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }
}
