package io.gitcrq.mergebot.service;

import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import io.gitcrq.kit.policy.RepoPolicies;
import io.gitcrq.mergebot.domain.TrackedCrq;
import io.gitcrq.mergebot.domain.WatchedRepo;
import io.gitcrq.model.api.merge.StaleBranch;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Branches of a watched repository that look abandoned: no open CRQ in merge-bot's view (no CRQ in the name,
 * a CRQ it does not know, or one that is merged, closed, rejected or cancelled), or a last commit older than
 * the given number of days. Long-lived branches (the exempt branches of the repository's policy, see
 * {@link Landing#policy}, and its default branch) are never stale.
 */
@ApplicationScoped
public class StaleBranches {

    private static final Set<String> OPEN = Set.of("DRAFT", "SUBMITTED", TrackedCrq.APPROVED);

    private final RepoPolicies policies;
    private final RepoDirectory repos;
    private final RepoLandings landings;
    private final CrqTracker crqs;

    public StaleBranches(RepoPolicies policies, RepoDirectory repos, RepoLandings landings, CrqTracker crqs) {
        this.policies = policies;
        this.repos = repos;
        this.landings = landings;
        this.crqs = crqs;
    }

    public List<StaleBranch> of(String repoName, int days, Instant now) {
        WatchedRepo watched = repos.find(repoName)
                .orElseThrow(() -> new EntityNotFoundException(
                        "repo " + repoName + " is not watched (no RepoWatched from git-watcher)"));
        Landing landing = landings.of(repoName, watched.location);
        File directory;
        try {
            directory = landing.prepare();
        } catch (IOException e) {
            throw new UpstreamUnavailableException("repository " + repoName + " cannot be reached: " + e.getMessage());
        }
        Instant cutoff = now.minus(Duration.ofDays(days));
        List<StaleBranch> stale = new ArrayList<>();
        try (Repository repo = Landing.open(directory);
                RevWalk walk = new RevWalk(repo)) {
            BranchNamePolicy policy =
                    landing.policy(repoName, repo, policies).policy().branchNames();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                String branch = Repository.shortenRefName(ref.getName());
                BranchNameVerdict verdict = policy.evaluate(branch);
                if (verdict.exempt() || branch.equals(watched.defaultBranch) || ref.getObjectId() == null) {
                    continue;
                }
                RevCommit head = walk.parseCommit(ref.getObjectId());
                Instant lastCommitAt = head.getCommitterIdent().getWhenAsInstant();
                List<String> reasons = new ArrayList<>();
                String crqId = null;
                String crqStatus = null;
                if (!verdict.valid()) {
                    reasons.add("its name names no CRQ: " + verdict.problem());
                } else {
                    crqId = verdict.crqId();
                    Optional<TrackedCrq> crq = crqs.find(CrqId.parse(crqId));
                    crqStatus = crq.map(c -> c.status).orElse(null);
                    if (crq.isEmpty()) {
                        reasons.add(crqId + " is unknown to merge-bot");
                    } else if (!OPEN.contains(crqStatus)) {
                        reasons.add(crqId + " is " + crqStatus);
                    }
                }
                if (lastCommitAt.isBefore(cutoff)) {
                    reasons.add("last commit " + head.abbreviate(7).name() + " is older than " + days + " days ("
                            + lastCommitAt + ")");
                }
                if (!reasons.isEmpty()) {
                    stale.add(new StaleBranch(branch, head.name(), lastCommitAt, crqId, crqStatus, reasons));
                }
            }
        } catch (IOException e) {
            throw new ConflictException("cannot read repository " + repoName + ": " + e.getMessage());
        }
        return stale;
    }
}
