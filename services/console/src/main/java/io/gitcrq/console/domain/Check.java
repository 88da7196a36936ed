package io.gitcrq.console.domain;

import java.time.Instant;

/** A check's last report for a commit. */
public record Check(
        String repo, String commitId, String name, String status, String url, String reportedBy, Instant at) {}
