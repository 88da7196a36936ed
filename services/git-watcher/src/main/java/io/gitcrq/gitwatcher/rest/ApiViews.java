package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.domain.RecordedViolation;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.service.WebhookSettings;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.model.api.git.PolicyView;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ViolationView;

/** What git-watcher keeps, as the API records it answers with ({@code io.gitcrq.model.api.git}). */
final class ApiViews {

    private ApiViews() {}

    /** Of the webhook secret only whether there is one. */
    static RepoView repo(WatchedRepo repo, WebhookSettings webhooks) {
        return new RepoView(
                repo.name,
                repo.location,
                repo.remote,
                repo.defaultBranch,
                repo.registeredAt,
                webhooks.name(repo).orElse(null),
                webhooks.enabled(repo));
    }

    static PolicyView policy(String repo, EffectivePolicy effective) {
        return new PolicyView(
                repo,
                effective.policy().branchNames().types().stream().sorted().toList(),
                effective.policy().branchNames().exemptBranches().stream()
                        .sorted()
                        .toList(),
                effective.policy().requireLinkedCommits(),
                effective.source().json(),
                effective.policy().branchNames().rule(),
                effective.error());
    }

    static ViolationView violation(RecordedViolation v) {
        return new ViolationView(v.repo, v.ref, v.commitId, v.rule, v.detail, v.detectedAt);
    }
}
