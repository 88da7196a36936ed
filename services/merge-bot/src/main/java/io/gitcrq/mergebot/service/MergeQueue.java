package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.mergebot.domain.MergeOutcome;
import io.gitcrq.mergebot.domain.MergeQueueEntry;
import io.gitcrq.mergebot.domain.MergeSettings;
import io.gitcrq.mergebot.domain.QueueState;
import io.gitcrq.mergebot.domain.TrackedCrq;
import io.gitcrq.mergebot.domain.WatchedRepo;
import io.gitcrq.mergebot.repository.CheckRunRepository;
import io.gitcrq.mergebot.repository.MergeQueueRepository;
import io.gitcrq.mergebot.repository.MergeSettingsRepository;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The merge queue of each repo:target, as Prow's Tide keeps it: an approved CRQ is enqueued; a run looks at the
 * queue in approval order and merges every CRQ that is ready, one at a time, each against the target's head as
 * the previous merge left it. Runs of one target are serialized (a PostgreSQL advisory lock held until the run's
 * transaction ends), across threads and service instances.
 *
 * <p><b>Order of readiness.</b> A CRQ waiting for its required checks, or blocked (a conflict, a failed check…),
 * does not hold up the CRQs approved after it: they are merged when ready, and it is merged when it becomes
 * ready. Among CRQs ready together, the earlier approval is merged first. A ready CRQ is therefore never left
 * "queued behind" another once a run ends: the only thing it waits behind is a run in progress.
 *
 * <p><b>When a queue runs.</b> On an approval, on a check report, on a change of the repository's merge
 * settings, when the repository's branches change (a push may resolve a conflict or bring a new head to check)
 * and when it is watched. A CRQ stays queued until it is merged or is no longer APPROVED; what the queue last
 * said about it (MergeWaiting, MergeBlocked) is announced again only when it changes, so crq-service always
 * shows what the bot will do next.
 */
@ApplicationScoped
public class MergeQueue {

    private static final Logger LOG = Logger.getLogger(MergeQueue.class);

    private final MergeQueueRepository queue;
    private final MergeSettingsRepository settings;
    private final CheckRunRepository checks;
    private final CrqTracker crqs;
    private final RepoDirectory repos;
    private final BranchMerger merger;
    private final RepoLandings landings;
    private final MergeAttempts attempts;
    private final MergeIntents intents;
    private final Outbox outbox;
    private final MergeMeasurements measurements;

    public MergeQueue(
            MergeQueueRepository queue,
            MergeSettingsRepository settings,
            CheckRunRepository checks,
            CrqTracker crqs,
            RepoDirectory repos,
            BranchMerger merger,
            RepoLandings landings,
            MergeAttempts attempts,
            MergeIntents intents,
            Outbox outbox,
            MergeMeasurements measurements) {
        this.queue = queue;
        this.settings = settings;
        this.checks = checks;
        this.crqs = crqs;
        this.repos = repos;
        this.merger = merger;
        this.landings = landings;
        this.attempts = attempts;
        this.intents = intents;
        this.outbox = outbox;
        this.measurements = measurements;
    }

    /**
     * An approval is the order to merge its commit: the CRQ joins its target's queue (once), and the queue runs. A
     * new approval of a CRQ still queued (approved again after a push withdrew the approval) replaces the one it
     * holds: its commit, approver and place, and what the queue says about it is announced anew.
     */
    @Transactional
    public void approved(CrqApproved approved) {
        CrqId crq = CrqId.parse(approved.crqId());
        queue.lock(approved.repo(), approved.targetBranch());
        if (attempts.isMerged(crq)) {
            // A second approval event (or a replay) of a merged CRQ: merging it again would be a second merge.
            LOG.infof("%s is already merged; its approval by %s is not merged again", crq, approved.approver());
            return;
        }
        MergeQueueEntry entry = queue.findByIdOptional(crq.number()).orElse(null);
        if (entry == null) {
            entry = new MergeQueueEntry();
            entry.crqNumber = crq.number();
            entry.enqueuedAt = SqlTimes.now();
        }
        entry.repo = approved.repo();
        entry.targetBranch = approved.targetBranch();
        entry.approver = approved.approver();
        entry.approvedCommit = approved.headCommit();
        entry.approvedAt = approved.approvedAt() != null ? approved.approvedAt() : SqlTimes.now();
        entry.state = QueueState.QUEUED;
        entry.reason = null;
        queue.persist(entry);
        runLocked(approved.repo(), approved.targetBranch());
    }

    /** Runs every queue of the repository (something its CRQs may wait for changed). */
    @Transactional
    public void run(String repo) {
        for (String target : queue.targetsOf(repo)) {
            queue.lock(repo, target);
            runLocked(repo, target);
        }
    }

    private void runLocked(String repo, String target) {
        MergeSettings repoSettings = settings.of(repo);
        for (MergeQueueEntry entry : queue.queueOf(repo, target)) {
            CrqId crq = entry.crqId();
            Optional<TrackedCrq> tracked = crqs.find(crq);
            if (tracked.isEmpty() || !tracked.get().isApproved()) {
                String status = tracked.map(t -> "is " + t.status).orElse("is unknown to merge-bot");
                attempts.record(
                        crq,
                        repo,
                        target,
                        BranchMerger.Result.blocked(
                                null, crq + " " + status + ", not " + TrackedCrq.APPROVED + "; it is not merged"));
                leave(entry);
                continue;
            }
            BranchMerger.Result result = attempt(entry, repoSettings);
            if (result.outcome() == MergeOutcome.MERGED) {
                attempts.record(crq, repo, target, result);
                measurements.merged(entry.approvedAt, SqlTimes.now());
                leave(entry);
            } else if (changed(entry, result)) {
                if (result.outcome() == MergeOutcome.BLOCKED) {
                    attempts.record(crq, repo, target, result);
                    measurements.blocked();
                    entry.state = QueueState.BLOCKED;
                } else {
                    LOG.infof("%s waits: %s", crq, result.reason());
                    outbox.publish(new MergeWaiting(crq.toString(), repo, result.reason(), SqlTimes.now()));
                    entry.state = QueueState.WAITING;
                }
                entry.reason = result.reason();
            }
        }
    }

    private BranchMerger.Result attempt(MergeQueueEntry entry, MergeSettings repoSettings) {
        Optional<WatchedRepo> repo = repos.find(entry.repo);
        if (repo.isEmpty()) {
            return BranchMerger.Result.blocked(
                    null,
                    "repo " + entry.repo
                            + " is not watched (no RepoWatched from git-watcher), so merge-bot does not know where it lives");
        }
        CrqId crq = entry.crqId();
        BranchMerger.Request request = new BranchMerger.Request(
                entry.repo,
                landings.of(entry.repo, repo.get().location),
                crq,
                entry.targetBranch,
                entry.approver,
                entry.approvedCommit,
                repoSettings.mergeStrategy(),
                repoSettings.deleteMergedBranch);
        return merger.merge(request, new BranchMerger.Queue() {
            @Override
            public RequiredChecks.Verdict checks(String branch, String commitId, String shortId) {
                Map<String, RequiredChecks.Report> reports = new HashMap<>();
                for (CheckRun run : checks.ofCommit(entry.repo, commitId)) {
                    reports.put(run.name, new RequiredChecks.Report(run.status, run.url));
                }
                return RequiredChecks.verdict(repoSettings.requiredCheckNames(), reports, shortId, branch);
            }

            @Override
            public Optional<BranchMerger.Move> lastMove() {
                return intents.lastMove(crq, entry.repo, entry.targetBranch);
            }

            @Override
            public void moving(BranchMerger.Move move) {
                intents.moving(crq, entry.repo, entry.targetBranch, move);
            }
        });
    }

    private static boolean changed(MergeQueueEntry entry, BranchMerger.Result result) {
        QueueState state = result.outcome() == MergeOutcome.BLOCKED ? QueueState.BLOCKED : QueueState.WAITING;
        return entry.state != state || !Objects.equals(entry.reason, result.reason());
    }

    private void leave(MergeQueueEntry entry) {
        intents.forget(entry.crqId());
        queue.delete(entry);
    }
}
