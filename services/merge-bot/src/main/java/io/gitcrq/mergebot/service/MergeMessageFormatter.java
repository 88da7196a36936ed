package io.gitcrq.mergebot.service;

import io.gitcrq.model.policy.CrqId;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The messages merge-bot writes into a repository: of the commits it makes and of the target's reflog. Every
 * commit it makes names the CRQ and its approver, so the history says which change request let it in.
 */
final class MergeMessageFormatter {

    private MergeMessageFormatter() {}

    /** A merge commit's message, as {@code git merge} words it, with the CRQ and its approver. */
    static String mergeCommit(String branch, String target, CrqId crq, String approver) {
        return "Merge branch '" + branch + "' into " + target + "\n\nCRQ: " + crq + "\nApproved-by: " + approver + "\n";
    }

    /** A squash commit's message: the CRQ, then the subject of every commit it combines. */
    static String squashCommit(String branch, String target, CrqId crq, String approver, List<RevCommit> squashed) {
        StringBuilder message =
                new StringBuilder(crq + ": squash-merge branch '" + branch + "' into " + target + "\n\n");
        for (RevCommit commit : squashed) {
            message.append("* ").append(commit.getShortMessage()).append('\n');
        }
        message.append("\nCRQ: ")
                .append(crq)
                .append("\nApproved-by: ")
                .append(approver)
                .append('\n');
        return message.toString();
    }

    /** The target's reflog entry for merge-bot's move of it. */
    static String targetMove(String strategySetting, String branch, CrqId crq) {
        return "merge-bot: " + strategySetting + " " + branch + " for " + crq;
    }
}
