package io.gitcrq.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrqReferencesTest {

    @Test
    void findsPrefixesMentionsAndTrailersInAnyCase() {
        String message = "[crq-7] CRQ-12: fix login timeout\n\nAlso touches CRQ-3.\n\nCRQ: Crq-12\nRefs: CRQ-40";
        assertThat(CrqReferences.in(message)).containsExactly("CRQ-3", "CRQ-7", "CRQ-12", "CRQ-40");
    }

    @Test
    void ignoresLookalikes() {
        assertThat(CrqReferences.in("XCRQ-1 CRQ-12a CRQ-0 CRQ- crq_5")).isEmpty();
    }

    @Test
    void commitNamingNothingBelongsToItsBranchCrq() {
        assertThat(CrqReferences.ofCommit("fix typo", "CRQ-9")).containsExactly("CRQ-9");
        assertThat(CrqReferences.ofCommit("CRQ-2: fix typo", "CRQ-9")).containsExactly("CRQ-2");
        assertThat(CrqReferences.ofCommit("fix typo", null)).isEmpty();
    }

    @Test
    void theShortCutForMessagesThatNeverSpellCrqAgreesWithTheFullRule() {
        // "crq" in any case sends a message down the full rule; without it nothing can be named.
        assertThat(CrqReferences.ofCommit("Fix\n\ncRq: 5\n", null)).containsExactly("CRQ-5");
        assertThat(CrqReferences.ofCommit("x Crq-77", null)).containsExactly("CRQ-77");
        assertThat(CrqReferences.ofCommit("Fix the C-R-Q parser\n\nRefs: 12\n", "CRQ-3"))
                .containsExactly("CRQ-3");
        assertThat(CrqReferences.ofCommit("", null)).isEmpty();
        assertThat(CrqReferences.ofCommit((String) null, "CRQ-1")).containsExactly("CRQ-1");
    }

    @Test
    void crqIdParsesAnyCaseAndRefusesGarbage() {
        assertThat(CrqId.parse("crq-12")).hasToString("CRQ-12");
        assertThat(CrqId.isValid("CRQ-x")).isFalse();
        assertThat(CrqId.isValid("CRQ-0")).isFalse();
    }

    @Test
    void trailersListSeveralIdsAndTakeBareNumbers() {
        String message = "Fix login\n\nCRQ: CRQ-4, crq-2 7\nRefs: CRQ-40 #12\n";
        assertThat(CrqReferences.in(CommitMessage.of(message))).containsExactly("CRQ-2", "CRQ-4", "CRQ-7", "CRQ-40");
        // A bare number counts only in a CRQ trailer, not in Refs nor in prose.
        assertThat(CrqReferences.ofCommit("Fix 12 things\n\nRefs: 12\n", null)).isEmpty();
        // Not the last paragraph: prose, so only real ids count.
        assertThat(CrqReferences.ofCommit("Fix\n\nCRQ: 5\n\nthanks\n", null)).isEmpty();
    }

    @Test
    void commentsOfAMessageFileLinkNothing() {
        CommitMessage file = CommitMessage.ofMessageFile("fix typo\n# On branch feature/CRQ-9-x\n", '#');
        assertThat(CrqReferences.in(file)).isEmpty();
        assertThat(CrqReferences.ofCommit(file, "CRQ-9")).containsExactly("CRQ-9");
        // The same line in a stored message is content.
        assertThat(CrqReferences.ofCommit("fix typo\n# On branch feature/CRQ-9-x\n", null))
                .containsExactly("CRQ-9");
    }

    @Test
    void oldAndNewEntryPointsAgreeOnMessagesWithoutBareNumbers() {
        String message = "[crq-7] CRQ-12: fix\n\nAlso CRQ-3.\n\nCRQ: Crq-12\nRefs: CRQ-40";
        assertThat(CrqReferences.ofCommit(message, "CRQ-1")).isEqualTo(CrqReferences.in(message));
    }
}
