package io.gitcrq.model.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.api.crq.CreateCrqRequest;
import io.gitcrq.model.api.crq.EditCrqRequest;
import io.gitcrq.model.api.crq.TransitionRequest;
import io.gitcrq.model.api.merge.CheckRequest;
import io.gitcrq.model.api.merge.MergeSettingsRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The form rules of the API's requests, told in the words the services answered with Bean Validation. */
class RequestProblemsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void aWellFormedCrqHasNoProblem() {
        assertThat(new CreateCrqRequest("Fix login", null, "webapp", null).problems())
                .isEmpty();
        assertThat(new CreateCrqRequest("Fix login", null, "webapp", null).targetBranchOrDefault())
                .isEqualTo("main");
    }

    @Test
    void everyProblemOfACrqIsToldSorted() {
        assertThat(new CreateCrqRequest(" ", "x".repeat(20001), "", "no branch!").problems())
                .containsExactly(
                        "description size must be between 0 and 20000",
                        "repo must be a repository name watched by git-watcher",
                        "repo must not be blank",
                        "targetBranch must be a branch name",
                        "title must not be blank");
        assertThat(new CreateCrqRequest("t".repeat(201), null, null, null).problems())
                .containsExactly("repo must not be blank", "title size must be between 0 and 200");
    }

    @Test
    void anEditChangesATitleOrADescriptionUnderTheRulesOfACreation() {
        assertThat(new EditCrqRequest("Fix login", null).problems()).isEmpty();
        assertThat(new EditCrqRequest(null, "").problems()).isEmpty();
        assertThat(new EditCrqRequest(null, null).problems()).containsExactly("title or description must be given");
        assertThat(new EditCrqRequest(" ", "x".repeat(20001)).problems())
                .containsExactly("description size must be between 0 and 20000", "title must not be blank");
        assertThat(new EditCrqRequest("t".repeat(201), null).problems())
                .containsExactly("title size must be between 0 and 200");
    }

    @Test
    void aReasonIsAtMost2000Characters() {
        assertThat(new TransitionRequest("r".repeat(2000)).problems()).isEmpty();
        assertThat(new TransitionRequest("r".repeat(2001)).problems())
                .containsExactly("reason size must be between 0 and 2000");
    }

    @Test
    void anApprovalMayNameTheCommitReviewedAsAFullIdOrAPrefixOfSevenHexDigits() {
        assertThat(new TransitionRequest(null, SHA).problems()).isEmpty();
        assertThat(new TransitionRequest(null, "1a2b3c4").problems()).isEmpty();
        assertThat(new TransitionRequest(null, "1a2b3c").problems())
                .containsExactly("commit must be a commit id: 7 to 64 hex digits");
        assertThat(new TransitionRequest("r".repeat(2001), "HEAD~1").problems())
                .containsExactly(
                        "commit must be a commit id: 7 to 64 hex digits", "reason size must be between 0 and 2000");
    }

    @Test
    void aCheckReportNeedsARepoAFullCommitIdAndAName() {
        assertThat(new CheckRequest("webapp", SHA, "ci/build", "SUCCESS", null).problems())
                .isEmpty();
        assertThat(new CheckRequest("web app", "abc", "-build", null, "u".repeat(2001)).problems())
                .containsExactly(
                        "commitId must be a full commit id (40 or 64 hex digits)",
                        "name " + CheckRequest.CHECK_NAME_RULE,
                        "repo must be a repository name",
                        "status must not be blank",
                        "url size must be between 0 and 2000");
        assertThat(new CheckRequest("webapp", SHA.toUpperCase(java.util.Locale.ROOT), "b", "PENDING", null)
                        .commitIdLowerCase())
                .isEqualTo(SHA);
    }

    @Test
    void requiredChecksAreAtMostTwentyWellFormedNames() {
        assertThat(new MergeSettingsRequest(null, null, null).problems()).isEmpty();
        assertThat(new MergeSettingsRequest(null, null, null).deleteMergedBranchOrDefault())
                .isFalse();
        assertThat(new MergeSettingsRequest("squash", Arrays.asList("ci/build", null), true).problems())
                .as("null and duplicates are merge-bot's to refuse")
                .isEmpty();
        assertThat(new MergeSettingsRequest(null, List.of("ok", "bad name", "-x"), null).problems())
                .containsExactly(
                        "<list element> " + CheckRequest.CHECK_NAME_RULE,
                        "<list element> " + CheckRequest.CHECK_NAME_RULE);
        assertThat(new MergeSettingsRequest(null, Collections.nCopies(21, "ci"), null).problems())
                .containsExactly("requiredChecks size must be between 0 and 20");
    }
}
