package io.gitcrq.gitwatcher.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.model.api.git.ScanProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last history scan of each repository ({@code history_scan}). A scan is identified by its repository
 * and start time: a scan taken over after it stalled finds its updates refused and stops.
 */
@ApplicationScoped
public class HistoryScans {

    private static final String RUNNING = ScanProgress.State.RUNNING.name();
    private static final String OWN_RUNNING_SCAN =
            "WHERE repo = :repo AND started_at = :startedAt AND state = '" + RUNNING + "'";

    private final EntityManager em;

    public HistoryScans(EntityManager em) {
        this.em = em;
    }

    /**
     * Records a new scan as running unless one is, and has reported since {@code staleBefore}; the new scan's
     * start time, or empty if another scan holds the repository.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Instant> claim(String repo, String branch, Instant staleBefore) {
        Instant now = SqlTimes.now();
        int claimed = em.createNativeQuery("INSERT INTO history_scan (repo, branch, state, total, scanned, emitted, "
                        + "started_at, finished_at, updated_at, error) VALUES (?1, ?2, ?3, NULL, 0, 0, ?4, NULL, ?4, NULL) "
                        + "ON CONFLICT (repo) DO UPDATE SET branch = EXCLUDED.branch, state = EXCLUDED.state, total = NULL, "
                        + "scanned = 0, emitted = 0, started_at = EXCLUDED.started_at, finished_at = NULL, "
                        + "updated_at = EXCLUDED.updated_at, error = NULL "
                        + "WHERE history_scan.state <> ?3 OR history_scan.updated_at < ?5")
                .setParameter(1, repo)
                .setParameter(2, branch)
                .setParameter(3, RUNNING)
                .setParameter(4, Timestamp.from(now))
                .setParameter(5, Timestamp.from(staleBefore))
                .executeUpdate();
        return claimed == 1 ? Optional.of(now) : Optional.empty();
    }

    /** {@code false} if the scan is no longer the repository's running one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean counted(String repo, Instant startedAt, long total) {
        return em.createNativeQuery("UPDATE history_scan SET total = :total, updated_at = :now " + OWN_RUNNING_SCAN)
                        .setParameter("total", total)
                        .setParameter("now", Timestamp.from(Instant.now()))
                        .setParameter("repo", repo)
                        .setParameter("startedAt", Timestamp.from(startedAt))
                        .executeUpdate()
                == 1;
    }

    /** Adds a chunk's numbers; {@code false} if the scan is no longer the repository's running one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean advanced(String repo, Instant startedAt, long scanned, long emitted) {
        return em.createNativeQuery(
                                "UPDATE history_scan SET scanned = scanned + :scanned, emitted = emitted + :emitted, "
                                        + "updated_at = :now " + OWN_RUNNING_SCAN)
                        .setParameter("scanned", scanned)
                        .setParameter("emitted", emitted)
                        .setParameter("now", Timestamp.from(Instant.now()))
                        .setParameter("repo", repo)
                        .setParameter("startedAt", Timestamp.from(startedAt))
                        .executeUpdate()
                == 1;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void finished(String repo, Instant startedAt, ScanProgress.State state, String error) {
        em.createNativeQuery("UPDATE history_scan SET state = :state, error = :error, finished_at = :now, "
                        + "updated_at = :now " + OWN_RUNNING_SCAN)
                .setParameter("state", state.name())
                .setParameter("error", error)
                .setParameter("now", Timestamp.from(Instant.now()))
                .setParameter("repo", repo)
                .setParameter("startedAt", Timestamp.from(startedAt))
                .executeUpdate();
    }

    /** The last scan; a running one that has not reported since {@code staleBefore} reads as INTERRUPTED. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<ScanProgress> last(String repo, Instant staleBefore) {
        List<Object[]> rows = em.createNativeQuery("SELECT repo, branch, state, total, scanned, emitted, started_at, "
                        + "finished_at, updated_at, error FROM history_scan WHERE repo = ?1")
                .setParameter(1, repo)
                .getResultList();
        return rows.stream().findFirst().map(r -> {
            ScanProgress.State state = ScanProgress.State.valueOf((String) r[2]);
            if (state == ScanProgress.State.RUNNING && instant(r[8]).isBefore(staleBefore)) {
                state = ScanProgress.State.INTERRUPTED;
            }
            return new ScanProgress(
                    (String) r[0],
                    (String) r[1],
                    state,
                    r[3] == null ? null : ((Number) r[3]).longValue(),
                    ((Number) r[4]).longValue(),
                    ((Number) r[5]).longValue(),
                    instant(r[6]),
                    r[7] == null ? null : instant(r[7]),
                    (String) r[9]);
        });
    }
}
