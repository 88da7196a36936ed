package io.gitcrq.crq.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record CreateCrqRequest(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 20000) String description,

        @NotBlank
        @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be a repository name watched by git-watcher")
        String repo,

        @Pattern(regexp = "[A-Za-z0-9._/-]{1,200}", message = "must be a branch name")
        String targetBranch) {

    public String targetBranchOrDefault() {
        return targetBranch == null ? "main" : targetBranch;
    }
}
