package io.gitcrq.model.policy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepoPolicyTest {

    @Test
    void unsetMeansTodaysDefaults() {
        RepoPolicy policy = RepoPolicy.fromGitConfig(Map.of("gitcrq.crqurl", "http://x", "core.bare", "true"));
        assertThat(policy.branchNames().types()).containsExactlyInAnyOrderElementsOf(BranchNamePolicy.DEFAULT_TYPES);
        assertThat(policy.branchNames().exemptBranches())
                .containsExactlyInAnyOrderElementsOf(BranchNamePolicy.DEFAULT_EXEMPT);
        assertThat(policy.requireLinkedCommits()).isTrue();
    }

    @Test
    void readsTheGitcrqSectionAsGitPrintsIt() {
        RepoPolicy policy = RepoPolicy.fromGitConfig(Map.of(
                "gitcrq.branchtypes", "feature, spike,,",
                "gitcrq.exemptbranches", "trunk,release",
                "gitcrq.requirelinkedcommits", "no"));
        assertThat(policy.branchNames().evaluate("spike/CRQ-1-try").valid()).isTrue();
        assertThat(policy.branchNames().evaluate("bugfix/CRQ-1-x").valid()).isFalse();
        assertThat(policy.branchNames().evaluate("main").valid()).isFalse();
        assertThat(policy.branchNames().evaluate("trunk").exempt()).isTrue();
        assertThat(policy.requireLinkedCommits()).isFalse();
        assertThat(RepoPolicy.fromGitConfig(Map.of("branchTypes", "docs")).branchNames().types()).containsExactly("docs");
    }

    @Test
    void exemptBranchesMayTakeUnlinkedCommitsOthersMayNot() {
        RepoPolicy policy = RepoPolicy.defaults();
        assertThat(policy.commitMustBeLinkedOn("main")).isFalse();
        assertThat(policy.commitMustBeLinkedOn("wip/x")).isTrue();
        assertThat(policy.commitMustBeLinkedOn(null)).isTrue();
        assertThat(RepoPolicy.fromGitConfig(Map.of("gitcrq.requireLinkedCommits", "false"))
                .commitMustBeLinkedOn("wip/x")).isFalse();
    }

    @Test
    void refusesValuesGitWouldNotRead() {
        assertThatThrownBy(() -> RepoPolicy.fromGitConfig(Map.of("gitcrq.requirelinkedcommits", "maybe")))
                .hasMessageContaining("gitcrq.requireLinkedCommits").hasMessageContaining("maybe");
        assertThatThrownBy(() -> RepoPolicy.fromGitConfig(Map.of("gitcrq.branchtypes", " , ")))
                .hasMessageContaining("gitcrq.branchTypes");
    }

    @Test
    void ruleNamesTheShapeTypesAndAnExample() {
        assertThat(BranchNamePolicy.defaults().rule())
                .contains("<type>/CRQ-<n>-<slug>", "bugfix, chore", "feature/CRQ-12-login-timeout", "exempt: develop, main");
        assertThat(new BranchNamePolicy(java.util.List.of("spike"), java.util.List.of()).rule())
                .contains("spike/CRQ-12-login-timeout").doesNotContain("exempt");
    }
}
