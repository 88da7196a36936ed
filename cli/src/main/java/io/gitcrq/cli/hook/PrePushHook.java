package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** git's {@code pre-push} hook: refuses to push branches the repository's naming rule rejects. */
public final class PrePushHook {

    private PrePushHook() {}

    public static void run(Git git, String remote, InputStream refs) {
        BranchNamePolicy names = RepoSettings.read(git).policy().branchNames();
        List<String> problems = new ArrayList<>();
        for (RefUpdate update : RefUpdate.readPrePush(refs)) {
            String branch = update.branch();
            if (branch == null || update.deletes()) {
                continue; // deleting a badly named branch is the fix, not a problem
            }
            BranchNameVerdict verdict = names.evaluate(branch);
            if (!verdict.valid()) {
                problems.add("  " + verdict.problem());
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        problems.add(0, "push refused by gitcrq's branch naming rule:");
        problems.add("  rule: " + names.rule());
        problems.add("  fix: push under a conforming name, e.g. git push " + remote + " HEAD:" + names.example()
                + ", or rename: git branch -m <old> <new>;");
        problems.add("       gitcrq branch start CRQ-12 --type <type> --desc \"...\" creates one for a CRQ.");
        throw CliFailure.refused(String.join("\n", problems));
    }
}
