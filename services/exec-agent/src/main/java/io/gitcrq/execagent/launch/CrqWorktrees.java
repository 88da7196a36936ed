package io.gitcrq.execagent.launch;

import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.service.CrqWorkspaces;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A plain exec's worktree, made as a launch's is: the CRQ's repository resolved as a launch resolves its project
 * ({@link LaunchPlanner#knownRepository}), the branch named as a launch names it ({@link LaunchPlanner#branch}), the
 * worktree {@code <worktrees-dir>/<project>/<CRQ-n>} checked out by {@link Worktrees} (the same one a launch for the
 * CRQ uses).
 */
@ApplicationScoped
public class CrqWorktrees implements CrqWorkspaces {

    private final LaunchPlanner planner;
    private final Worktrees worktrees;

    public CrqWorktrees(LaunchPlanner planner, Worktrees worktrees) {
        this.planner = planner;
        this.worktrees = worktrees;
    }

    @Override
    public Optional<Path> worktree(CrqView crq, String branch) {
        if (crq.repo == null || crq.repo.isBlank()) {
            return Optional.empty();
        }
        Optional<Path> repository = planner.knownRepository(crq.repo);
        if (repository.isEmpty()) {
            return Optional.empty();
        }
        String project = LaunchPlanner.projectName(crq.repo, repository.get());
        return Optional.of(
                worktrees.checkout(project, repository.get(), crq.crqId, LaunchPlanner.branch(branch, null, crq)));
    }
}
