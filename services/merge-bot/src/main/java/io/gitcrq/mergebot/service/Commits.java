package io.gitcrq.mergebot.service;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** Commits as merge-bot writes and names them: straight into the object database, no working tree. */
final class Commits {

    private static final int SHORT_ID = 7;

    private Commits() {}

    static ObjectId write(
            Repository repo,
            ObjectId tree,
            List<? extends ObjectId> parents,
            PersonIdent author,
            PersonIdent committer,
            String message)
            throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents.toArray(ObjectId[]::new));
        commit.setAuthor(author);
        commit.setCommitter(committer);
        commit.setMessage(message);
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    static String shortId(RevCommit commit) {
        return commit.abbreviate(SHORT_ID).name();
    }

    /** A commit id as people see it in reasons (its first 7 hex digits). */
    static String shortId(String commitId) {
        return commitId.length() > SHORT_ID ? commitId.substring(0, SHORT_ID) : commitId;
    }
}
