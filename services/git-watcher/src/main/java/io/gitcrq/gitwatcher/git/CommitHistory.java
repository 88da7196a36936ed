package io.gitcrq.gitwatcher.git;

import io.gitcrq.model.event.GitPerson;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Reads commits out of a repository's history. */
public final class CommitHistory {

    private CommitHistory() {
    }

    /** Commits reachable from {@code head} and from none of {@code known}, parents before children. */
    public static List<GitCommit> newCommits(Repository git, ObjectId head, Collection<ObjectId> known) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(head));
            for (ObjectId id : known) {
                try {
                    walk.markUninteresting(walk.parseCommit(id));
                } catch (MissingObjectException gone) {
                    // A head rewritten away (force push) and pruned since: it hides nothing any more.
                }
            }
            List<GitCommit> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                commits.add(new GitCommit(c.getName(), Arrays.stream(c.getParents()).map(RevCommit::getName).toList(),
                        person(c.getAuthorIdent()), person(c.getCommitterIdent()), c.getFullMessage()));
            }
            return commits;
        } catch (IOException e) {
            throw new GitAccessException("cannot walk the history of " + head.getName() + ": " + e.getMessage(), e);
        }
    }

    private static GitPerson person(PersonIdent ident) {
        return ident == null ? null : new GitPerson(ident.getName(), ident.getEmailAddress(), ident.getWhenAsInstant());
    }
}
