package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.mergebot.repository.CheckRunRepository;
import io.gitcrq.model.event.CheckReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
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

    /** Refuses a status other than CheckReported's and a url that is not a plain http(s) link. */
    @Transactional
    public CheckReported report(
            String repo, String commitId, String name, String status, String url, String reportedBy) {
        CheckReported report = new CheckReported(
                repo, commitId, name, statusOrRefuse(status), urlOrRefuse(url), reportedBy, SqlTimes.now());
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

    private static String statusOrRefuse(String status) {
        if (!CheckReported.STATUSES.contains(status)) {
            throw new InvalidRequestException("status must be PENDING, SUCCESS or FAILURE, not '" + status + "'");
        }
        return status;
    }

    /** An http(s) link to the check's run; one carrying credentials is refused, never stored or announced. */
    private static String urlOrRefuse(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url is not a valid URL");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new InvalidRequestException("url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException(
                    "url must not carry credentials (user:password@); link to the run without them");
        }
        return uri.toString();
    }
}
