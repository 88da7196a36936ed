package io.gitcrq.console.domain;

import java.time.Instant;

/** A policy violation git-watcher reported. */
public record Violation(String repo, String ref, String commitId, String rule, String detail, Instant at) {}
