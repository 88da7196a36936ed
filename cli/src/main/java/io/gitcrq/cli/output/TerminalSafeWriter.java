package io.gitcrq.cli.output;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer for text meant for a person's terminal that holds what others wrote (a CRQ title, a problem detail, a
 * commit subject): control characters are shown as {@code ?}, so a title cannot move the cursor, recolour or clear
 * the screen, rewrite a line with a carriage return, or set the terminal's title. Line breaks and tabs pass. JSON
 * output needs none of this (JSON escapes control characters); a replayed recording and the progress bar write their
 * control sequences on purpose, so they write to the raw streams.
 */
public final class TerminalSafeWriter extends PrintWriter {

    public TerminalSafeWriter(Writer out) {
        super(out, true);
    }

    /** What {@code text} becomes on a terminal through this writer. */
    public static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder shown = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            shown.append(shown(text.charAt(i)));
        }
        return shown.toString();
    }

    private static char shown(char c) {
        boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
        return control ? '?' : c;
    }

    @Override
    public void write(int c) {
        super.write(shown((char) c));
    }

    @Override
    public void write(char[] buf, int off, int len) {
        char[] copy = new char[len];
        for (int i = 0; i < len; i++) {
            copy[i] = shown(buf[off + i]);
        }
        super.write(copy, 0, len);
    }

    @Override
    public void write(String s, int off, int len) {
        super.write(safe(s.substring(off, off + len)), 0, len);
    }
}
