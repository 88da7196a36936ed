package io.gitcrq.gitwatcher.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record RegisterRepoRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be 1 to 100 of A-Z a-z 0-9 . _ -") String name,
        @NotBlank @Size(max = 4000) String location,
        @Pattern(regexp = "[A-Za-z0-9._/-]{1,200}", message = "must be a branch name") String defaultBranch) {
}
