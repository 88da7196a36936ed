package io.gitcrq.model.api.merge;

import java.time.Instant;

/** A check report as the API shows it. */
public record CheckView(
        String repo, String commitId, String name, String status, String url, String reportedBy, Instant at) {}
