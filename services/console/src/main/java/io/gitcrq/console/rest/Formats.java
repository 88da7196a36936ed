package io.gitcrq.console.rest;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages write (as {@code fmt:utc(at)} and so on) times, durations and path segments (Qute template extensions). */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Formats() {}

    /** An instant as {@code 2026-12-02 17:08:58Z}; empty when unknown. */
    static String utc(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** A duration as {@code 1h 2m 3s} (or {@code 450 ms} under a second); empty when unknown. */
    static String human(Duration d) {
        if (d == null) {
            return "";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 86400) {
            out.append(s / 86400).append("d ");
        }
        if (s >= 3600) {
            out.append(s / 3600 % 24).append("h ");
        }
        if (s >= 60) {
            out.append(s / 60 % 60).append("m ");
        }
        return out.append(s % 60).append('s').toString();
    }

    /** A text as one path segment of a link (the page then escapes it for HTML). */
    static String seg(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A commit id shortened to 12 characters. */
    static String abbrev(String commit) {
        return commit == null ? "" : commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
