package io.gitcrq.model.api.git;

import java.time.Instant;

/** One commit announced without any CRQ: neither its message nor its branch names one. */
public record UnlinkedCommit(
        String commitId, String branch, String authorName, String authorEmail, Instant committedAt, String subject) {}
