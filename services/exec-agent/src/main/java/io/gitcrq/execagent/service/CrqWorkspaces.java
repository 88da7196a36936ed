package io.gitcrq.execagent.service;

import io.gitcrq.execagent.domain.CrqView;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command for a CRQ runs when its request names no working directory: the CRQ's worktree, checked out as a
 * launch checks it out (the launch package makes worktrees; this is what the exec path needs of it).
 */
public interface CrqWorkspaces {

    /**
     * The worktree of {@code crq} on {@code branch} (null: the branch a launch would name after the CRQ) in the CRQ's
     * repository, made the first time; empty when that repository is not a project of this host.
     */
    Optional<Path> worktree(CrqView crq, String branch);
}
