package io.gitcrq.model.api.git;

import java.time.Instant;

/**
 * How far the last history scan of a repository got ({@code POST|GET /repos/{name}/scan}). {@code branch} is null
 * for a scan of every branch; {@code total} (commits reachable from the scanned branches) is null until counted.
 */
public record ScanProgress(
        String repo,
        String branch,
        State state,
        Long total,
        long scanned,
        long emitted,
        Instant startedAt,
        Instant finishedAt,
        String error) {

    public enum State {
        RUNNING,
        DONE,
        FAILED,
        /** Was running in an instance that stopped (or hung) without finishing it; a new scan may start. */
        INTERRUPTED
    }
}
