package io.gitcrq.model.event;

import java.time.Instant;
import java.util.List;

/**
 * The gitcrq policy that governs {@code repo} is no longer the one git-watcher applied before: someone edited the
 * repository's git config (section {@code gitcrq}), or the service-wide policy ({@code gitcrq.policy.*}) changed with a
 * restart. Either is a process change, so the audit trail keeps what applied before and what applies now.
 * {@code before} is null the first time git-watcher reads the repository's policy (the policy in force when watching
 * began). Neither a git config file nor a service's configuration says who edited it, so the event names no person:
 * {@code after.source} says where the rule is set, which tells an auditor whose files to ask about.
 */
public record RepoPolicyChanged(String repo, PolicyRules before, PolicyRules after, Instant detectedAt)
        implements DomainEvent {

    /**
     * A repository's effective policy: its branch naming rule, whether every commit must name a CRQ, where it is set
     * ({@code repository}: the repository's git config over the service-wide policy; {@code service}: the service-wide
     * policy as it is) and, when the repository's git config could not be read, why (the service-wide policy applies).
     */
    public record PolicyRules(
            List<String> branchTypes,
            List<String> exemptBranches,
            boolean requireLinkedCommits,
            String source,
            String error) {
        public PolicyRules {
            branchTypes = List.copyOf(branchTypes);
            exemptBranches = List.copyOf(exemptBranches);
            Require.text(source, "source");
        }
    }

    public RepoPolicyChanged {
        Require.text(repo, "repo");
        Require.present(after, "after");
        Require.present(detectedAt, "detectedAt");
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo;
    }
}
