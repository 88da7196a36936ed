package io.gitcrq.gitwatcher.git;

import io.gitcrq.model.event.GitPerson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/** Reads commits out of a repository's history. */
public final class CommitHistory {

    private CommitHistory() {}

    /** Commits reachable from {@code head} and from none of {@code known}, parents before children. */
    public static List<GitCommit> newCommits(Repository git, ObjectId head, Collection<ObjectId> known) {
        List<GitCommit> commits = new ArrayList<>();
        forEachNewCommit(git, head, known, commits::add);
        return commits;
    }

    /**
     * Hands each commit reachable from {@code head} and from none of {@code known} to {@code action}, parents
     * before children. The order needs the whole walk first: use it for what a push brought, and
     * {@link #forEachCommit} for whole histories.
     */
    public static void forEachNewCommit(
            Repository git, ObjectId head, Collection<ObjectId> known, Consumer<GitCommit> action) {
        try (RevWalk walk = new RevWalk(git)) {
            // The topological order holds every commit until the walk is done: keeping their bodies meanwhile
            // could take gigabytes, so each body is read again when its commit is handed on.
            walk.setRetainBody(false);
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(head));
            markKnown(walk, known);
            for (RevCommit c : walk) {
                walk.parseBody(c);
                GitCommit commit = new GitCommit(
                        c.getName(),
                        Arrays.stream(c.getParents()).map(RevCommit::getName).toList(),
                        person(c.getAuthorIdent()),
                        person(c.getCommitterIdent()),
                        c.getFullMessage());
                c.disposeBody();
                action.accept(commit);
            }
        } catch (IOException e) {
            throw new GitAccessException("cannot walk the history of " + head.getName() + ": " + e.getMessage(), e);
        }
    }

    static void markKnown(RevWalk walk, Collection<ObjectId> known) throws IOException {
        for (ObjectId id : known) {
            try {
                walk.markUninteresting(walk.parseCommit(id));
            } catch (MissingObjectException gone) {
                // A head rewritten away (force push) and pruned since: it hides nothing any more.
            }
        }
    }

    /**
     * Hands each commit reachable from {@code head} and from none of {@code known} to {@code action} as the walk
     * finds it, children before parents mostly, in no promised order. Nothing is buffered beyond a few batches
     * and each commit is read once, so a history of any size is walked in constant memory. Reading the
     * repository (inflating objects) runs on a thread of its own while this thread turns the raw commits into
     * {@link GitCommit}s and runs {@code action}: a whole-history scan takes about as long as reading alone.
     */
    public static void forEachCommit(
            Repository git, ObjectId head, Collection<ObjectId> known, Consumer<GitCommit> action) {
        try (RawCommitReader reader = new RawCommitReader(git, head, known)) {
            for (List<RawCommit> batch = reader.next(); batch != null; batch = reader.next()) {
                for (RawCommit raw : batch) {
                    action.accept(raw.toGitCommit());
                }
            }
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
            throw new GitAccessException(
                    "cannot count the commits of " + git.getDirectory() + ": " + e.getMessage(), e);
        }
    }

    static GitPerson person(PersonIdent ident) {
        return ident == null ? null : new GitPerson(ident.getName(), ident.getEmailAddress(), ident.getWhenAsInstant());
    }
}
