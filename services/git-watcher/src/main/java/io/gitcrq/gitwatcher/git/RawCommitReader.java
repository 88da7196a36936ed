package io.gitcrq.gitwatcher.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Walks a history on a thread of its own and hands its commits over in batches, raw, so that reading the
 * repository and taking the commits apart run on two cores. Closing it stops the walk. The walker is never
 * interrupted: an interrupt during a read would close the pack file's channel under every other reader of the
 * repository; it checks a flag instead.
 */
final class RawCommitReader implements AutoCloseable {

    private static final int BATCH = 512;
    private static final int BATCHES_AHEAD = 8;
    private static final List<RawCommit> END = List.of();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final BlockingQueue<List<RawCommit>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread walker;
    private final String headName;
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private boolean ended;

    RawCommitReader(Repository git, ObjectId head, Collection<ObjectId> known) {
        headName = head.getName();
        walker = new Thread(() -> walk(git, head, known), "git-history-reader-" + THREADS.incrementAndGet());
        walker.setDaemon(true);
        walker.start();
    }

    /** The next batch, or null when the walk is done; a failure of the walk is thrown here. */
    List<RawCommit> next() {
        if (ended) {
            return null;
        }
        try {
            List<RawCommit> batch = batches.take();
            if (batch == END) {
                ended = true;
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            throw new GitAccessException("interrupted while walking the history of " + headName, e);
        }
    }

    private void walk(Repository git, ObjectId head, Collection<ObjectId> known) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(true);
            walk.markStart(walk.parseCommit(head));
            CommitHistory.markKnown(walk, known);
            List<RawCommit> batch = new ArrayList<>(BATCH);
            for (RevCommit c = walk.next(); c != null && !closed; c = walk.next()) {
                ObjectId[] parents = new ObjectId[c.getParentCount()];
                for (int i = 0; i < parents.length; i++) {
                    parents[i] = c.getParent(i).copy();
                }
                batch.add(new RawCommit(c.copy(), parents, c.getRawBuffer()));
                c.disposeBody(); // the batch keeps the raw object; the walk need not
                if (batch.size() == BATCH) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                hand(batch);
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof RuntimeException r
                    ? r
                    : new GitAccessException("cannot walk the history of " + headName + ": " + e.getMessage(), e);
        }
        hand(END);
    }

    /** Waits for room for the batch, unless the reader is closed meanwhile. */
    private void hand(List<RawCommit> batch) {
        try {
            while (!closed && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // the consumer is busy (e.g. writing a chunk to the database): wait for it
            }
        } catch (InterruptedException e) {
            closed = true; // nobody interrupts this thread; if someone does, stop
        }
    }

    /** Stops the walk if it is still going (e.g. the consumer failed) and waits for its thread. */
    @Override
    public void close() {
        closed = true;
        batches.clear();
        try {
            walker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
