package io.gitcrq.gitwatcher.git;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * A commit as read from the object database, not yet taken apart: its id, its parents' ids and its raw object
 * (headers and message). Taking it apart is left to whoever consumes it, as JGit's own RevCommit does.
 */
record RawCommit(ObjectId id, ObjectId[] parents, byte[] raw) {

    GitCommit toGitCommit() {
        List<String> parentIds = new ArrayList<>(parents.length);
        for (ObjectId parent : parents) {
            parentIds.add(parent.name());
        }
        int author = RawParseUtils.author(raw, 0);
        int committer = RawParseUtils.committer(raw, 0);
        int message = RawParseUtils.commitMessage(raw, 0);
        return new GitCommit(
                id.name(),
                parentIds,
                author < 0 ? null : CommitHistory.person(RawParseUtils.parsePersonIdent(raw, author)),
                committer < 0 ? null : CommitHistory.person(RawParseUtils.parsePersonIdent(raw, committer)),
                message < 0 ? "" : RawParseUtils.decode(encoding(), raw, message, raw.length));
    }

    /** The commit's declared encoding, UTF-8 when none or one Java does not know (as RevCommit reads it). */
    private Charset encoding() {
        try {
            return RawParseUtils.parseEncoding(raw);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
