package io.gitcrq.console.domain;

import java.time.Instant;

/** A command run on a host: RUNNING from its request until it ends FINISHED (with its exit code) or FAILED. */
public record Exec(
        String execId,
        String host,
        String crqId,
        String command,
        String requestedBy,
        String status,
        Integer exitCode,
        String reason,
        Instant requestedAt,
        Instant endedAt) {}
