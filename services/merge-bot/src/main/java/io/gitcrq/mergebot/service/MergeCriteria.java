package io.gitcrq.mergebot.service;

import io.gitcrq.model.policy.CrqId;
import io.gitcrq.model.policy.CrqReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a CRQ's branch must satisfy to be merged for it: it brings something, and every commit it brings is
 * linked to that CRQ (a commit naming another CRQ would slip that CRQ's work in without its approval).
 */
public final class MergeCriteria {

    /** A commit on the branch that is not on the target yet. */
    public record BranchCommit(String shortId, String message) {
        public String subject() {
            String text = message == null ? "" : message.strip();
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end).strip();
        }
    }

    private MergeCriteria() {}

    /**
     * Why the branch may not be merged for {@code crq}, or empty when it may. {@code ahead} are the branch's
     * commits that are not on the target, oldest first; the branch is {@code crq}'s own branch, so a commit
     * naming no CRQ belongs to it.
     */
    public static Optional<String> unmetBy(CrqId crq, String branch, String target, List<BranchCommit> ahead) {
        if (ahead.isEmpty()) {
            return Optional.of(
                    "nothing to merge: branch " + branch + " has no commits that are not already on " + target);
        }
        String own = crq.toString();
        List<String> foreign = new ArrayList<>();
        for (BranchCommit commit : ahead) {
            List<String> linked = CrqReferences.ofCommit(commit.message(), own);
            if (!linked.contains(own)) {
                foreign.add("commit " + commit.shortId() + " '" + commit.subject() + "' is linked to "
                        + String.join(", ", linked) + ", not " + own);
            }
        }
        if (foreign.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join("; ", foreign) + ": move " + (foreign.size() == 1 ? "it" : "them")
                + " to " + (foreign.size() == 1 ? "its" : "their") + " own branch or reword "
                + (foreign.size() == 1 ? "it" : "them"));
    }
}
