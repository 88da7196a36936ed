package io.gitcrq.mergebot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.mergebot.service.MergeCriteria;
import io.gitcrq.mergebot.service.MergeCriteria.BranchCommit;
import io.gitcrq.model.policy.CrqId;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeCriteriaTest {

    private static final CrqId CRQ_5 = CrqId.parse("CRQ-5");

    @Test
    void commitsNamingTheCrqOrNothingAreItsOwn() {
        assertThat(MergeCriteria.unmetBy(
                        CRQ_5,
                        "feature/CRQ-5-x",
                        "main",
                        List.of(
                                new BranchCommit("1111111", "CRQ-5: start"),
                                new BranchCommit("2222222", "fix a typo\n\nno reference here"),
                                new BranchCommit("3333333", "[crq-5] lower case key"),
                                new BranchCommit("4444444", "shared work\n\nCRQ: CRQ-5\nCRQ: CRQ-6"))))
                .isEmpty();
    }

    @Test
    void aCommitLinkedToAnotherCrqIsNamedWithWhatToDo() {
        assertThat(MergeCriteria.unmetBy(
                        CRQ_5,
                        "feature/CRQ-5-x",
                        "main",
                        List.of(
                                new BranchCommit("1111111", "CRQ-5: start"),
                                new BranchCommit("1a2b3c4", "CRQ-9: other work\n\nbody mentions nothing else"))))
                .contains("commit 1a2b3c4 'CRQ-9: other work' is linked to CRQ-9, not CRQ-5: "
                        + "move it to its own branch or reword it");
    }

    @Test
    void everyForeignCommitIsNamed() {
        String reason = MergeCriteria.unmetBy(
                        CRQ_5,
                        "feature/CRQ-5-x",
                        "main",
                        List.of(
                                new BranchCommit("aaaaaaa", "CRQ-8 and CRQ-9 together"),
                                new BranchCommit("bbbbbbb", "CRQ-10: more")))
                .orElseThrow();
        assertThat(reason)
                .contains("commit aaaaaaa 'CRQ-8 and CRQ-9 together' is linked to CRQ-8, CRQ-9, not CRQ-5")
                .contains("commit bbbbbbb 'CRQ-10: more' is linked to CRQ-10, not CRQ-5")
                .endsWith("move them to their own branch or reword them");
    }

    @Test
    void aBranchWithNothingAheadHasNothingToMerge() {
        assertThat(MergeCriteria.unmetBy(CRQ_5, "feature/CRQ-5-x", "main", List.of()))
                .contains("nothing to merge: branch feature/CRQ-5-x has no commits that are not already on main");
    }
}
