package io.gitcrq.console.domain;

import java.time.Instant;
import java.util.List;

/** A pushed commit; no CRQ ids: an unlinked commit. */
public record Commit(
        String repo,
        String commitId,
        String branch,
        String author,
        String message,
        List<String> crqIds,
        Instant pushedAt) {

    public String shortId() {
        return commitId.length() > 12 ? commitId.substring(0, 12) : commitId;
    }

    /** The message's first line. */
    public String subject() {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
