package io.gitcrq.model.api.git;

import java.time.Instant;

/** A policy violation git-watcher found ({@code GET /violations}): where, which rule, and what is wrong. */
public record ViolationView(String repo, String ref, String commitId, String rule, String detail, Instant detectedAt) {}
