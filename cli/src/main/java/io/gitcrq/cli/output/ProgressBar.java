package io.gitcrq.cli.output;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on a stream meant for people (stderr), so that the
 * command's result on stdout stays clean: {@code [#####.........] 52,000/200,000 commits (26%)}.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String unit;
    private String shown = "";

    public ProgressBar(PrintWriter err, String unit) {
        this.err = err;
        this.unit = unit;
    }

    /** Redraws the bar when what it shows changed; a null {@code total} is not known yet. */
    public void show(long done, Long total) {
        String line = render(done, total, unit);
        if (line.equals(shown)) {
            return;
        }
        // Spaces wipe what a longer previous line left behind.
        err.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
        err.flush();
        shown = line;
    }

    /** Ends the bar's line, if one was drawn. */
    public void end() {
        if (!shown.isEmpty()) {
            err.println();
            err.flush();
            shown = "";
        }
    }

    public static String render(long done, Long total, String unit) {
        if (total == null) {
            return "[" + ".".repeat(WIDTH) + "] " + number(done) + " " + unit + " (counting…)";
        }
        long bounded = Math.max(0, Math.min(done, total));
        int filled = total == 0 ? WIDTH : (int) (bounded * WIDTH / total);
        long percent = total == 0 ? 100 : bounded * 100 / total;
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + number(done) + "/" + number(total) + " "
                + unit + " (" + percent + "%)";
    }

    /** {@code 52000} → {@code 52,000}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
