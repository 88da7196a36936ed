package io.gitcrq.console.domain;

/** One audit source of a host ({@code kind}, e.g. {@code file}): its summaries' counts added up. */
public record AuditSourceCounters(
        String host, String kind, long summaries, long seen, long captured, long dropped, long fellBehind) {}
