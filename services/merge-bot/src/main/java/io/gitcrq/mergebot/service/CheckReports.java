package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.mergebot.repository.CheckRunRepository;
import io.gitcrq.model.event.CheckReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Check reports: made here (POST /checks: stored and announced as CheckReported in one transaction) or
 * anywhere else (CheckReported from the merge-events topic, this service's own included). Each report
 * consumed runs the repository's merge queues, since a CRQ may be waiting for it.
 */
@ApplicationScoped
public class CheckReports {

    private final CheckRunRepository checks;
    private final MergeQueue queue;
    private final Outbox outbox;

    public CheckReports(CheckRunRepository checks, MergeQueue queue, Outbox outbox) {
        this.checks = checks;
        this.queue = queue;
        this.outbox = outbox;
    }

    @Transactional
    public CheckReported report(
            String repo, String commitId, String name, String status, String url, String reportedBy) {
        CheckReported report = new CheckReported(repo, commitId, name, status, url, reportedBy, SqlTimes.now());
        checks.record(report);
        outbox.publish(report);
        return report;
    }

    @Transactional
    public void reported(CheckReported report) {
        checks.record(report);
        queue.run(report.repo());
    }

    public List<CheckRun> ofCommit(String repo, String commitId) {
        return checks.ofCommit(repo, commitId);
    }
}
