package io.gitcrq.model.api.git;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A branch to create ({@code POST /repos/{name}/branches}); {@code from} is the branch whose head it starts at (the
 * default branch when absent).
 */
// What is not given is left out of a request, rather than sent as null.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateBranchRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(min = 1, max = 200) String from) {}
