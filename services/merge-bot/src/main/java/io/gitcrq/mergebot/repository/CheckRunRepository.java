package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.CheckRun;
import io.gitcrq.model.event.CheckReported;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class CheckRunRepository implements PanacheRepositoryBase<CheckRun, CheckRun.Key> {

    /**
     * Stores a report unless a later one of the same check on the same commit is already stored: a report made
     * here is stored at once and comes back from Kafka later, after newer ones maybe.
     */
    public void record(CheckReported report) {
        getEntityManager()
                .createNativeQuery("""
                        INSERT INTO check_run (repo, commit_id, name, status, url, reported_by, at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        ON CONFLICT (repo, commit_id, name) DO UPDATE
                        SET status = EXCLUDED.status, url = EXCLUDED.url, reported_by = EXCLUDED.reported_by,
                            at = EXCLUDED.at
                        WHERE check_run.at <= EXCLUDED.at""")
                .setParameter(1, report.repo())
                .setParameter(2, report.commitId())
                .setParameter(3, report.name())
                .setParameter(4, report.status())
                .setParameter(5, report.url())
                .setParameter(6, report.reportedBy())
                .setParameter(7, report.at())
                .executeUpdate();
    }

    public List<CheckRun> ofCommit(String repo, String commitId) {
        return list("repo = ?1 and commitId = ?2", Sort.ascending("name"), repo, commitId);
    }
}
