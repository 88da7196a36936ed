package io.gitcrq.model.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
    void crqIdParsesAnyCaseAndRefusesGarbage() {
        assertThat(CrqId.parse("crq-12")).hasToString("CRQ-12");
        assertThat(CrqId.isValid("CRQ-x")).isFalse();
        assertThat(CrqId.isValid("CRQ-0")).isFalse();
    }
}
