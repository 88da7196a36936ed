package io.gitcrq.kit.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.gitcrq.model.policy.RepoPolicy;
import java.util.Locale;

/**
 * The policy that governs one repository now, and where it comes from.
 *
 * @param policy the policy to apply
 * @param source {@link Source#REPOSITORY} when the repository's own git config sets part of it,
 *               {@link Source#SERVICE} when the service-wide policy applies as it is
 * @param error  why the repository's git config was not applied (a value git would not read), else null
 */
public record EffectivePolicy(RepoPolicy policy, Source source, String error) {

    /** Where a repository's policy comes from. */
    public enum Source {
        /** The repository's git config (section {@code gitcrq}) over the service-wide policy. */
        REPOSITORY,
        /** The service-wide policy ({@code gitcrq.policy.*} over the defaults). */
        SERVICE;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The branch naming rule in one line and where it is set, for messages that refuse a name. */
    public String branchRule() {
        return policy.branchNames().rule()
                + (source == Source.REPOSITORY
                        ? " (set in the repository's git config, section " + RepoPolicy.SECTION + ")"
                        : " (service-wide)");
    }
}
