package io.gitcrq.console.domain;

import java.time.Instant;

/** One change of the read model: a row of the live stream's log; {@code data} is the event's data as JSON. */
public record Change(
        long id, String kind, String crqId, String host, String repo, Instant at, String summary, String data) {}
