package io.gitcrq.mergebot.rest;

import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.model.event.CheckReported;
import java.time.Instant;

/** A check report as the API shows it. */
public record CheckView(
        String repo, String commitId, String name, String status, String url, String reportedBy, Instant at) {

    public static CheckView of(CheckRun run) {
        return new CheckView(run.repo, run.commitId, run.name, run.status, run.url, run.reportedBy, run.at);
    }

    public static CheckView of(CheckReported report) {
        return new CheckView(
                report.repo(),
                report.commitId(),
                report.name(),
                report.status(),
                report.url(),
                report.reportedBy(),
                report.at());
    }
}
