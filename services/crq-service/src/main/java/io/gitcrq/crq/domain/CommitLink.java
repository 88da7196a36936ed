package io.gitcrq.crq.domain;

import java.time.Instant;

/** A commit that names a CRQ, and when it was linked. */
public record CommitLink(String repo, String branch, String commitId, String message, Instant linkedAt) {}
