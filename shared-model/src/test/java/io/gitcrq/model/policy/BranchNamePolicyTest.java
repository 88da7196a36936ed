package io.gitcrq.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BranchNamePolicyTest {

    private final BranchNamePolicy policy = BranchNamePolicy.defaults();

    @Test
    void acceptsConformingNamesAndTakesThemApart() {
        BranchNameVerdict v = policy.evaluate("feature/CRQ-12-login-timeout");
        assertThat(v.valid()).isTrue();
        assertThat(v.type()).isEqualTo("feature");
        assertThat(v.crqId()).isEqualTo("CRQ-12");
        assertThat(v.slug()).isEqualTo("login-timeout");
    }

    @Test
    void refusesOtherShapesAndTypesWithAnActionableProblem() {
        assertThat(policy.evaluate("wip/foo").valid()).isFalse();
        assertThat(policy.evaluate("wip/foo").problem()).contains("<type>/CRQ-<n>-<slug>");
        assertThat(policy.evaluate("wip/CRQ-1-x").problem()).contains("'wip' is not allowed");
        assertThat(policy.evaluate("feature/CRQ-1-Bad_Slug").valid()).isFalse();
        assertThat(policy.evaluate("feature/CRQ-1-").valid()).isFalse();
    }

    @Test
    void longLivedBranchesAreExempt() {
        assertThat(policy.evaluate("main").valid()).isTrue();
        assertThat(policy.evaluate("main").exempt()).isTrue();
    }

    @Test
    void makesBranchNamesFromDescriptions() {
        assertThat(policy.branchName("feature", CrqId.parse("CRQ-5"), "Login: time-out après 30 s!"))
                .isEqualTo("feature/CRQ-5-login-time-out-apres-30-s");
        assertThatThrownBy(() -> policy.branchName("wip", CrqId.parse("CRQ-5"), "x"))
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> policy.branchName("feature", CrqId.parse("CRQ-5"), "!!!"))
                .hasMessageContaining("slug");
        // Without a policy to judge the type: only the slug can be refused.
        assertThat(BranchNamePolicy.nameFor("spike", CrqId.parse("CRQ-5"), "Try it"))
                .isEqualTo("spike/CRQ-5-try-it");
        assertThatThrownBy(() -> BranchNamePolicy.nameFor("spike", CrqId.parse("CRQ-5"), "!!!"))
                .hasMessageContaining("slug");
    }
}
