package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.Branches;
import io.gitcrq.gitwatcher.git.CommitHistory;
import io.gitcrq.gitwatcher.git.GitAccessException;
import io.gitcrq.gitwatcher.git.GitCommit;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.gitwatcher.repository.HistoryScans;
import io.gitcrq.gitwatcher.repository.RepoLocks;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import io.gitcrq.model.api.git.ScanProgress;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jboss.logging.Logger;

/**
 * Backfills a repository's history: announces as CommitPushed every commit reachable from its branches (or
 * one branch) that was never announced, in the background and in chunks of
 * {@code gitcrq.git-watcher.scan-chunk-size} commits per transaction, so that a history of hundreds of
 * thousands of commits needs neither one huge transaction nor its messages in memory at once. It shares
 * the emitted-commit bookkeeping with polling, so nothing is announced twice whoever finds it first.
 *
 * <p>A backfilled commit that names no CRQ is not reported as a PolicyViolation: it was pushed before the
 * rule was watched. The unlinked-commits report lists it. Branch names are read by the repository's
 * policy as it is when the scan starts.
 */
@ApplicationScoped
public class HistoryScanner {

    private static final Logger LOG = Logger.getLogger(HistoryScanner.class);

    /** A running scan that has not reported for this long is taken as dead: a new one may start. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** How long a chunk waits for a poll of the repository to end (they share the repository's lock). */
    private static final Duration CHUNK_LOCK_WAIT = Duration.ofMinutes(2);

    private static final int CHUNK_TIMEOUT_SECONDS = 600;

    private record Start(String branch, ObjectId head) {}

    /** Where a scan starts, and the commits it leaves to a scan of the default branch. */
    private record Plan(List<Start> starts, List<ObjectId> excluded) {}

    private record Found(String branch, GitCommit commit) {}

    /** The scan's row was taken over (it stalled) or the service is stopping: stop without finishing it. */
    private static final class ScanStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScanStopped(String message) {
            super(message);
        }
    }

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "git-watcher-history-scan-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final RepoRegistry registry;
    private final RepoPoller poller;
    private final GitRepositories repositories;
    private final RepoLocks locks;
    private final HistoryScans scans;
    private final CommitAnnouncer announcer;
    private final RepoPolicyReader policies;
    private final int chunkSize;

    public HistoryScanner(
            RepoRegistry registry,
            RepoPoller poller,
            GitRepositories repositories,
            RepoLocks locks,
            HistoryScans scans,
            CommitAnnouncer announcer,
            RepoPolicyReader policies,
            GitWatcherConfig config) {
        this.registry = registry;
        this.poller = poller;
        this.repositories = repositories;
        this.locks = locks;
        this.scans = scans;
        this.announcer = announcer;
        this.policies = policies;
        this.chunkSize = Math.max(1, config.scanChunkSize());
    }

    /**
     * Starts a scan of every branch, or of {@code branch} only, and returns its progress at once. The
     * repository is polled first: a remote one is fetched, and what is new is announced as a poll would.
     * A scan of a branch other than the default one covers the commits that are not on the default branch:
     * the history they share belongs to the default branch (as in a scan of every branch), not to the CRQ
     * a work branch names.
     */
    public ScanProgress start(String name, String branch) {
        WatchedRepo repo = registry.get(name);
        if (branch != null && !Branches.isValidName(branch)) {
            throw new InvalidRequestException("'" + branch + "' is not a branch name");
        }
        progress(name).filter(p -> p.state() == ScanProgress.State.RUNNING).ifPresent(running -> {
            throw new ConflictException("a history scan of " + name + " is running since " + running.startedAt());
        });
        poller.poll(name);
        Plan plan = planOf(repo, branch);
        Instant startedAt = QuarkusTransaction.requiringNew()
                .call(() -> scans.claim(name, branch, staleBefore()))
                .orElseThrow(() -> new ConflictException("a history scan of " + name + " is running"));
        executor.submit(() -> run(repo, plan, startedAt));
        return progress(name).orElseThrow();
    }

    public java.util.Optional<ScanProgress> progress(String name) {
        return scans.last(name, staleBefore());
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The default branch first, so that old history is attributed to it rather than to a branch made from it. */
    private Plan planOf(WatchedRepo repo, String branch) {
        try (Repository git = repositories.open(repo.name, repo.repoLocation())) {
            if (branch != null) {
                ObjectId head = Branches.head(git, branch)
                        .orElseThrow(() ->
                                new EntityNotFoundException("repository " + repo.name + " has no branch " + branch));
                List<ObjectId> excluded = branch.equals(repo.defaultBranch)
                        ? List.of()
                        : Branches.head(git, repo.defaultBranch).map(List::of).orElse(List.of());
                return new Plan(List.of(new Start(branch, head)), excluded);
            }
            List<Start> starts = new ArrayList<>();
            for (Map.Entry<String, ObjectId> e : Branches.heads(git).entrySet()) {
                starts.add(new Start(e.getKey(), e.getValue()));
            }
            starts.sort(Comparator.comparing((Start s) -> !s.branch().equals(repo.defaultBranch))
                    .thenComparing(Start::branch));
            return new Plan(starts, List.of());
        } catch (GitAccessException e) {
            throw new UpstreamUnavailableException("cannot read " + repo.name + ": " + e.getMessage(), e);
        }
    }

    private void run(WatchedRepo repo, Plan plan, Instant startedAt) {
        String name = repo.name;
        try (Repository git = repositories.open(name, repo.repoLocation())) {
            BranchNamePolicy names = policies.of(repo, git).policy().branchNames();
            long total = CommitHistory.count(
                    git, plan.starts().stream().map(Start::head).toList(), plan.excluded());
            ensureOwned(QuarkusTransaction.requiringNew().call(() -> scans.counted(name, startedAt, total)));
            List<Found> chunk = new ArrayList<>(chunkSize);
            List<ObjectId> walked = new ArrayList<>(plan.excluded());
            for (Start start : plan.starts()) {
                CommitHistory.forEachCommit(git, start.head(), walked, commit -> {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new ScanStopped("git-watcher stopped during the scan");
                    }
                    chunk.add(new Found(start.branch(), commit));
                    if (chunk.size() >= chunkSize) {
                        announce(name, startedAt, chunk, names);
                    }
                });
                walked.add(start.head());
            }
            announce(name, startedAt, chunk, names);
            finish(name, startedAt, ScanProgress.State.DONE, null);
            LOG.infof("history scan of %s done: %d commits", name, total);
        } catch (ScanStopped e) {
            LOG.warnf("history scan of %s stopped: %s", name, e.getMessage());
            finish(name, startedAt, ScanProgress.State.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "history scan of %s failed", name);
            finish(name, startedAt, ScanProgress.State.FAILED, e.getMessage());
        }
    }

    /** One transaction per chunk, holding the repository's lock so that a poll never interleaves with it. */
    private void announce(String name, Instant startedAt, List<Found> chunk, BranchNamePolicy names) {
        if (chunk.isEmpty()) {
            return;
        }
        ensureOwned(QuarkusTransaction.requiringNew()
                .timeout(CHUNK_TIMEOUT_SECONDS)
                .call(() -> {
                    if (!locks.tryLockWithin(name, CHUNK_LOCK_WAIT)) {
                        throw new ScanStopped(name + " stayed locked by polls for " + CHUNK_LOCK_WAIT);
                    }
                    long emitted = chunk.stream()
                            .filter(f -> announcer
                                    .announce(name, f.branch(), f.commit(), names)
                                    .isPresent())
                            .count();
                    if (!scans.advanced(name, startedAt, chunk.size(), emitted)) {
                        // Taken over by a newer scan: roll this chunk back, the newer scan announces it.
                        throw new ScanStopped("another scan of " + name + " took over");
                    }
                    return true;
                }));
        chunk.clear();
    }

    private static void ensureOwned(boolean owned) {
        if (!owned) {
            throw new ScanStopped("another scan took over");
        }
    }

    private void finish(String name, Instant startedAt, ScanProgress.State state, String error) {
        try {
            QuarkusTransaction.requiringNew().run(() -> scans.finished(name, startedAt, state, error));
        } catch (RuntimeException e) {
            // The database may be gone (shutdown): the scan then reads as INTERRUPTED once stale.
            LOG.warnf("cannot record the end of the history scan of %s: %s", name, e.getMessage());
        }
    }

    private static Instant staleBefore() {
        return Instant.now().minus(STALE_AFTER);
    }
}
