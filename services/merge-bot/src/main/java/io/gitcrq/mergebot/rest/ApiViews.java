package io.gitcrq.mergebot.rest;

import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.mergebot.domain.MergeAttempt;
import io.gitcrq.mergebot.domain.MergeSettings;
import io.gitcrq.model.api.merge.CheckView;
import io.gitcrq.model.api.merge.MergeAttemptView;
import io.gitcrq.model.api.merge.MergeSettingsView;
import io.gitcrq.model.event.CheckReported;

/** merge-bot's domain as the API shows it. */
final class ApiViews {

    private ApiViews() {}

    static CheckView check(CheckRun run) {
        return new CheckView(run.repo, run.commitId, run.name, run.status, run.url, run.reportedBy, run.at);
    }

    static CheckView check(CheckReported report) {
        return new CheckView(
                report.repo(),
                report.commitId(),
                report.name(),
                report.status(),
                report.url(),
                report.reportedBy(),
                report.at());
    }

    static MergeAttemptView attempt(MergeAttempt attempt) {
        return new MergeAttemptView(
                attempt.crqId().toString(),
                attempt.repo,
                attempt.branch,
                attempt.targetBranch,
                attempt.outcome.name(),
                attempt.reason,
                attempt.mergeCommit,
                attempt.at);
    }

    static MergeSettingsView settings(MergeSettings settings) {
        return new MergeSettingsView(
                settings.repo,
                settings.strategy,
                settings.requiredCheckNames(),
                settings.deleteMergedBranch,
                settings.updatedBy,
                settings.updatedAt);
    }
}
