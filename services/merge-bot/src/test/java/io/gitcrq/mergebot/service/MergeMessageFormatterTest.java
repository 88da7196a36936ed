package io.gitcrq.mergebot.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.policy.CrqId;
import org.junit.jupiter.api.Test;

/** The words merge-bot leaves in a repository's history: they name the CRQ and its approver. */
class MergeMessageFormatterTest {

    @Test
    void aMergeCommitSaysWhatWasMergedAndWhichCrqLetItIn() {
        assertThat(MergeMessageFormatter.mergeCommit("feature/CRQ-7-login", "main", new CrqId(7), "bob"))
                .isEqualTo("Merge branch 'feature/CRQ-7-login' into main\n\nCRQ: CRQ-7\nApproved-by: bob\n");
    }

    @Test
    void theTargetsReflogNamesTheStrategyTheBranchAndTheCrq() {
        assertThat(MergeMessageFormatter.targetMove("squash", "feature/CRQ-7-login", new CrqId(7)))
                .isEqualTo("merge-bot: squash feature/CRQ-7-login for CRQ-7");
    }
}
