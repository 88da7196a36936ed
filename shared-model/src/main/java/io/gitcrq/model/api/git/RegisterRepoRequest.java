package io.gitcrq.model.api.git;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A repository to watch ({@code POST /repos}). {@code webhookName} is what the Git host calls it in its webhooks
 * (e.g. {@code acme/demo}; its gitcrq name when absent) and {@code webhookSecret} the secret its webhooks are
 * signed with; given for a repository that is watched already, they replace what was set (absent ones stay).
 */
// What is not given is left out of a request, rather than sent as null.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterRepoRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be 1 to 100 of A-Z a-z 0-9 . _ -")
        String name,

        @NotBlank @Size(max = 4000) String location,

        @Pattern(regexp = "[A-Za-z0-9._/-]{1,200}", message = "must be a branch name")
        String defaultBranch,

        @Pattern(
                regexp = "[A-Za-z0-9._/-]{1,300}",
                message = "must be the repository's path at the Git host, e.g. acme/demo")
        String webhookName,

        @Size(min = 8, max = 1000, message = "must be 8 to 1000 characters")
        String webhookSecret) {

    /** Never the secret: a record's own toString would put it into any log line that prints the request. */
    @Override
    public String toString() {
        return "RegisterRepoRequest[name=" + name + ", location=" + location + ", defaultBranch=" + defaultBranch
                + ", webhookName=" + webhookName + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "]";
    }
}
