package io.gitcrq.console.service;

import io.gitcrq.console.domain.Change;
import io.gitcrq.console.repository.ReadModelQueries;
import io.gitcrq.kit.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The live stream's log read by a subscriber: the changes after the last one it has, of the CRQ and/or host it
 * follows. Change ids are committed in order (ReadModelWrites.change), so reading "after N" again and again misses
 * nothing.
 */
@ApplicationScoped
public class ChangeFeed {

    /** At most this many changes per read; a subscriber further behind reads again at once. */
    public static final int BATCH = 500;

    private final ReadModelQueries queries;

    public ChangeFeed(ReadModelQueries queries) {
        this.queries = queries;
    }

    @Transactional
    public List<Change> after(long afterId, String crqId, String host) {
        return queries.changesAfter(
                afterId, Console.blankToNull(crqId, "crq"), Console.blankToNull(host, "host"), BATCH);
    }

    /** A Last-Event-ID as sent back by a browser: a change id, or absent (0: from the start of nothing). */
    public static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id < 0) {
                throw new InvalidRequestException("Last-Event-ID must be a change id (0 or more)");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Last-Event-ID must be a change id (a number)");
        }
    }
}
