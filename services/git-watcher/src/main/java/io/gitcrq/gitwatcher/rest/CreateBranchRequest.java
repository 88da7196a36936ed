package io.gitcrq.gitwatcher.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A branch to create; {@code from} is the branch whose head it starts at (the default branch when absent). */
public record CreateBranchRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(min = 1, max = 200) String from) {}
