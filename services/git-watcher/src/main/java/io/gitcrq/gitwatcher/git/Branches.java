package io.gitcrq.gitwatcher.git;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** The branches ({@code refs/heads/*}) of a repository. */
public final class Branches {

    private static final String[] USUAL_DEFAULTS = {"main", "master"};

    private Branches() {}

    /** Branch short name → the commit it points at. */
    public static Map<String, ObjectId> heads(Repository git) {
        try {
            Map<String, ObjectId> heads = new TreeMap<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (ref.getObjectId() != null) {
                    heads.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId());
                }
            }
            return heads;
        } catch (IOException e) {
            throw new GitAccessException(
                    "cannot read the branches of " + git.getDirectory() + ": " + e.getMessage(), e);
        }
    }

    public static Optional<ObjectId> head(Repository git, String branch) {
        try {
            Ref ref = git.exactRef(Constants.R_HEADS + branch);
            return Optional.ofNullable(ref == null ? null : ref.getObjectId());
        } catch (IOException e) {
            throw new GitAccessException("cannot read branch " + branch + ": " + e.getMessage(), e);
        }
    }

    /**
     * The branch a repository's HEAD names, when that is meaningful (a local repository; a mirror's HEAD is
     * its own), else main or master when present, else the first branch, else {@code main}.
     */
    public static String defaultBranch(Repository git, boolean trustHead) {
        Map<String, ObjectId> heads = heads(git);
        if (trustHead) {
            try {
                String full = git.getFullBranch();
                if (full != null && full.startsWith(Constants.R_HEADS)) {
                    return full.substring(Constants.R_HEADS.length());
                }
            } catch (IOException e) {
                // An unreadable HEAD: fall back to the usual names.
            }
        }
        for (String usual : USUAL_DEFAULTS) {
            if (heads.containsKey(usual)) {
                return usual;
            }
        }
        return heads.isEmpty() ? USUAL_DEFAULTS[0] : heads.keySet().iterator().next();
    }

    public static boolean isValidName(String branch) {
        return branch != null && Repository.isValidRefName(Constants.R_HEADS + branch);
    }

    /** Creates the branch at {@code at}; {@code false} if it exists already (also when created meanwhile). */
    public static boolean create(Repository git, String branch, ObjectId at) {
        try {
            RefUpdate update = git.updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(at);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            update.setRefLogMessage("branch: created by git-watcher", false);
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.NEW) {
                return true;
            }
            if (result == RefUpdate.Result.LOCK_FAILURE && head(git, branch).isPresent()) {
                return false;
            }
            throw new GitAccessException("cannot create branch " + branch + ": " + result);
        } catch (IOException e) {
            throw new GitAccessException("cannot create branch " + branch + ": " + e.getMessage(), e);
        }
    }
}
