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
import java.util.function.Consumer;

/** Reads commits out of a repository's history. */
public final class CommitHistory {

    private CommitHistory() {
    }

    /** Commits reachable from {@code head} and from none of {@code known}, parents before children. */
    public static List<GitCommit> newCommits(Repository git, ObjectId head, Collection<ObjectId> known) {
        List<GitCommit> commits = new ArrayList<>();
        forEachNewCommit(git, head, known, commits::add);
        return commits;
    }

    /**
     * Hands each commit reachable from {@code head} and from none of {@code known} to {@code action}, parents
     * before children. Only the commit at hand has its message in memory, so that a history of hundreds of
     * thousands of commits can be walked.
     */
    public static void forEachNewCommit(Repository git, ObjectId head, Collection<ObjectId> known,
                                        Consumer<GitCommit> action) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(false);
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
            for (RevCommit c : walk) {
                walk.parseBody(c);
                GitCommit commit = new GitCommit(c.getName(), Arrays.stream(c.getParents()).map(RevCommit::getName).toList(),
                        person(c.getAuthorIdent()), person(c.getCommitterIdent()), c.getFullMessage());
                c.disposeBody();
                action.accept(commit);
            }
        } catch (IOException e) {
            throw new GitAccessException("cannot walk the history of " + head.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many commits are reachable from any of {@code heads} and from none of {@code known}: a walk that
     * reads no message.
     */
    public static long count(Repository git, Collection<ObjectId> heads, Collection<ObjectId> known) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(false);
            for (ObjectId head : heads) {
                walk.markStart(walk.parseCommit(head));
            }
            for (ObjectId id : known) {
                walk.markUninteresting(walk.parseCommit(id));
            }
            long count = 0;
            while (walk.next() != null) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new GitAccessException("cannot count the commits of " + git.getDirectory() + ": " + e.getMessage(), e);
        }
    }

    private static GitPerson person(PersonIdent ident) {
        return ident == null ? null : new GitPerson(ident.getName(), ident.getEmailAddress(), ident.getWhenAsInstant());
    }
}
