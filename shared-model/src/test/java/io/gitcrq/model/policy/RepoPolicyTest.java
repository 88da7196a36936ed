package io.gitcrq.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertThat(RepoPolicy.fromGitConfig(Map.of("branchTypes", "docs"))
                        .branchNames()
                        .types())
                .containsExactly("docs");
    }

    @Test
    void aRepositorysEntriesOverrideABasePolicyKeyByKey() {
        RepoPolicy service =
                new RepoPolicy(new BranchNamePolicy(List.of("feature", "bugfix"), List.of("trunk")), false);
        RepoPolicy repo = RepoPolicy.fromGitConfig(Map.of("branchTypes", "feature,spike"), service);
        assertThat(repo.branchNames().types()).containsExactlyInAnyOrder("feature", "spike");
        assertThat(repo.branchNames().exemptBranches()).containsExactly("trunk"); // the base's
        assertThat(repo.requireLinkedCommits()).isFalse(); // the base's
        assertThat(RepoPolicy.fromGitConfig(Map.of(), service))
                .usingRecursiveComparison()
                .isEqualTo(service);

        // As JGit gives them: names as written, a key without a value as null (an empty value).
        Map<String, String> jgit = new HashMap<>();
        jgit.put("ExemptBranches", null);
        jgit.put("requireLinkedCommits", "");
        RepoPolicy bare = RepoPolicy.fromGitConfig(jgit, service);
        assertThat(bare.branchNames().exemptBranches()).isEmpty();
        assertThat(bare.requireLinkedCommits()).isTrue();
        assertThat(bare.branchNames().types()).containsExactlyInAnyOrder("feature", "bugfix");
    }

    @Test
    void tellsWhetherEntriesSetThePolicy() {
        assertThat(RepoPolicy.isSetIn(Map.of())).isFalse();
        assertThat(RepoPolicy.isSetIn(Map.of("gitcrq.crqurl", "http://x", "user", "bob")))
                .isFalse();
        assertThat(RepoPolicy.isSetIn(Map.of("gitcrq.BranchTypes", "x"))).isTrue();
        assertThat(RepoPolicy.isSetIn(Map.of("requirelinkedcommits", "no"))).isTrue();
        assertThat(RepoPolicy.isSetIn(Map.of("exemptBranches", ""))).isTrue();
    }

    @Test
    void exemptBranchesMayTakeUnlinkedCommitsOthersMayNot() {
        RepoPolicy policy = RepoPolicy.defaults();
        assertThat(policy.commitMustBeLinkedOn("main")).isFalse();
        assertThat(policy.commitMustBeLinkedOn("wip/x")).isTrue();
        assertThat(policy.commitMustBeLinkedOn(null)).isTrue();
        assertThat(RepoPolicy.fromGitConfig(Map.of("gitcrq.requireLinkedCommits", "false"))
                        .commitMustBeLinkedOn("wip/x"))
                .isFalse();
    }

    @Test
    void refusesValuesGitWouldNotRead() {
        assertThatThrownBy(() -> RepoPolicy.fromGitConfig(Map.of("gitcrq.requirelinkedcommits", "maybe")))
                .hasMessageContaining("gitcrq.requireLinkedCommits")
                .hasMessageContaining("maybe");
        assertThatThrownBy(() -> RepoPolicy.fromGitConfig(Map.of("gitcrq.branchtypes", " , ")))
                .hasMessageContaining("gitcrq.branchTypes");
    }

    @Test
    void ruleNamesTheShapeTypesAndAnExample() {
        assertThat(BranchNamePolicy.defaults().rule())
                .contains(
                        "<type>/CRQ-<n>-<slug>",
                        "bugfix, chore",
                        "feature/CRQ-12-login-timeout",
                        "exempt: develop, main");
        assertThat(new BranchNamePolicy(java.util.List.of("spike"), java.util.List.of()).rule())
                .contains("spike/CRQ-12-login-timeout")
                .doesNotContain("exempt");
    }
}
