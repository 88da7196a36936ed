package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.CommitMessage;
import io.gitcrq.model.policy.CrqReferences;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * git's {@code commit-msg} hook: a message naming no CRQ gets its branch's CRQ as a {@code CRQ:} trailer, so
 * the link survives the commit moving to another branch; with no CRQ to add, the commit is refused unless
 * the branch may take unlinked commits ({@link io.gitcrq.model.policy.RepoPolicy#commitMustBeLinkedOn}).
 */
public final class CommitMsgHook {

    private CommitMsgHook() {}

    public static void run(Git git, Path messageFile, PrintWriter err) {
        RepoSettings settings = RepoSettings.read(git);
        String text = read(messageFile);
        CommitMessage message = CommitMessage.ofMessageFile(text, settings.commentChar());
        if (message.isEmpty() || !CrqReferences.in(message).isEmpty()) {
            return; // git refuses an empty message itself
        }
        // While a rebase rewrites a branch HEAD is detached; its commits still belong to that branch.
        String branch = git.currentBranch().or(git::rebasedBranch).orElse(null);
        String branchCrq = branch == null
                ? null
                : settings.policy().branchNames().evaluate(branch).crqId();
        if (branchCrq != null) {
            write(messageFile, message.withTrailer(CrqReferences.TRAILER, branchCrq));
            err.println("gitcrq: linked to " + branchCrq + " (trailer '" + CrqReferences.TRAILER + ": " + branchCrq
                    + "' added)");
            return;
        }
        if (!settings.policy().commitMustBeLinkedOn(branch)) {
            return;
        }
        throw CliFailure.refused(String.join(
                "\n",
                List.of(
                        "commit refused: its message names no CRQ and "
                                + (branch == null ? "HEAD is detached" : "branch '" + branch + "' names none") + ".",
                        "  Name the CRQ in the message: 'CRQ-12: " + message.subject() + "', or a last paragraph " + "'"
                                + CrqReferences.TRAILER + ": CRQ-12'",
                        "  or commit on the CRQ's branch ("
                                + settings.policy().branchNames().rule() + "),",
                        "  e.g. gitcrq branch start CRQ-12 --type feature --desc \"...\".",
                        "  Your message is kept in " + messageFile + " (git commit -eF " + messageFile
                                + " to reuse it).")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "cannot read the commit message " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "cannot write the commit message " + file + ": " + e.getMessage(), e);
        }
    }
}
