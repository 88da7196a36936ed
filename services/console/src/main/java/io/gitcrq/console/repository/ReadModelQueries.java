package io.gitcrq.console.repository;

import static io.gitcrq.console.repository.Sql.idList;
import static io.gitcrq.console.repository.Sql.instant;
import static io.gitcrq.console.repository.Sql.longOf;
import static io.gitcrq.console.repository.Sql.longOrNull;
import static io.gitcrq.console.repository.Sql.number;
import static io.gitcrq.console.repository.Sql.rows;
import static io.gitcrq.console.repository.Sql.str;
import static io.gitcrq.console.repository.Sql.text;

import io.gitcrq.console.domain.Approval;
import io.gitcrq.console.domain.AuditRecord;
import io.gitcrq.console.domain.AuditSourceCounters;
import io.gitcrq.console.domain.BoardFilter;
import io.gitcrq.console.domain.Branch;
import io.gitcrq.console.domain.ChainHealth;
import io.gitcrq.console.domain.Change;
import io.gitcrq.console.domain.Check;
import io.gitcrq.console.domain.Commit;
import io.gitcrq.console.domain.CrqCard;
import io.gitcrq.console.domain.CrqDetail;
import io.gitcrq.console.domain.Exec;
import io.gitcrq.console.domain.MergedEntry;
import io.gitcrq.console.domain.Repo;
import io.gitcrq.console.domain.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads of the read model, for the pages and the live stream. */
@ApplicationScoped
public class ReadModelQueries {

    private static final String CARD =
            "SELECT id, title, repo, target_branch, requester, approver, status, merge_state, merge_reason, updated_at"
                    + " FROM crq";

    private final EntityManager em;

    public ReadModelQueries(EntityManager em) {
        this.em = em;
    }

    /** The CRQs matching the filter (each unset part matches all), newest first, at most {@code limit}. */
    public List<CrqCard> board(BoardFilter f, int limit) {
        String search = f.search() == null ? null : "%" + likeEscaped(f.search().toLowerCase(Locale.ROOT)) + "%";
        return rows(
                        em,
                        CARD + " WHERE (?1 IS NULL OR repo = ?1) AND (?2 IS NULL OR requester = ?2)"
                                + " AND (?3 IS NULL OR approver = ?3)"
                                + " AND (?4 IS NULL OR lower(id) LIKE ?4 ESCAPE '\\' OR lower(title) LIKE ?4 ESCAPE '\\')"
                                + " ORDER BY COALESCE(created_at, updated_at) DESC, id LIMIT " + limit,
                        text(f.repo()),
                        text(f.requester()),
                        text(f.approver()),
                        text(search))
                .stream()
                .map(ReadModelQueries::card)
                .toList();
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static CrqCard card(Object[] r) {
        return new CrqCard(
                str(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                str(r[4]),
                str(r[5]),
                str(r[6]),
                str(r[7]),
                str(r[8]),
                instant(r[9]));
    }

    public Optional<CrqDetail> crq(String id) {
        return rows(
                        em,
                        "SELECT id, title, description, requester, repo, target_branch, status, status_reason,"
                                + " created_at, approver, approved_commit, approved_at, merge_state, merge_reason,"
                                + " merge_commit, merged_at FROM crq WHERE id = ?1",
                        text(id))
                .stream()
                .findFirst()
                .map(r -> new CrqDetail(
                        str(r[0]),
                        str(r[1]),
                        str(r[2]),
                        str(r[3]),
                        str(r[4]),
                        str(r[5]),
                        str(r[6]),
                        str(r[7]),
                        instant(r[8]),
                        str(r[9]),
                        str(r[10]),
                        instant(r[11]),
                        str(r[12]),
                        str(r[13]),
                        str(r[14]),
                        instant(r[15])));
    }

    public List<Approval> approvals(String crqId) {
        return rows(
                        em,
                        "SELECT approver, head_commit, approved_at FROM approval WHERE crq_id = ?1"
                                + " ORDER BY approved_at, event_id",
                        text(crqId))
                .stream()
                .map(r -> new Approval(str(r[0]), str(r[1]), instant(r[2])))
                .toList();
    }

    /**
     * A branch or commit naming the CRQ ?1: containment, which the GIN index on {@code crq_ids} serves; {@code ?1 = ANY
     * (crq_ids)} means the same but read every row of the table for each CRQ page.
     */
    private static final String NAMES_CRQ = "crq_ids @> ARRAY[CAST(?1 AS text)]";

    public List<Branch> branchesOf(String crqId) {
        return rows(
                        em,
                        "SELECT repo, name, head, array_to_string(crq_ids, ','), name_valid, deleted FROM branch"
                                + " WHERE " + NAMES_CRQ + " ORDER BY repo, name",
                        text(crqId))
                .stream()
                .map(r -> new Branch(
                        str(r[0]),
                        str(r[1]),
                        str(r[2]),
                        idList(r[3]),
                        Boolean.TRUE.equals(r[4]),
                        Boolean.TRUE.equals(r[5])))
                .toList();
    }

    private static final String COMMIT =
            "SELECT repo, commit_id, branch, author, message, array_to_string(crq_ids, ','), pushed_at FROM git_commit";

    private static Commit commit(Object[] r) {
        return new Commit(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), idList(r[5]), instant(r[6]));
    }

    public List<Commit> commitsOf(String crqId) {
        return rows(em, COMMIT + " WHERE " + NAMES_CRQ + " ORDER BY pushed_at, commit_id", text(crqId)).stream()
                .map(ReadModelQueries::commit)
                .toList();
    }

    public List<Commit> unlinkedCommits(String repo, int limit) {
        return rows(
                        em,
                        COMMIT + " WHERE repo = ?1 AND cardinality(crq_ids) = 0 ORDER BY pushed_at DESC, commit_id"
                                + " LIMIT " + limit,
                        text(repo))
                .stream()
                .map(ReadModelQueries::commit)
                .toList();
    }

    public List<Check> checks(String repo, String commitId) {
        return rows(
                        em,
                        "SELECT repo, commit_id, name, status, url, reported_by, at FROM check_run"
                                + " WHERE repo = ?1 AND commit_id = ?2 ORDER BY name",
                        text(repo),
                        text(commitId))
                .stream()
                .map(r -> new Check(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), instant(r[6])))
                .toList();
    }

    /** The CRQs in a merge queue (QUEUED, WAITING, BLOCKED), by repo:target, then in approval order. */
    public List<CrqDetail> queued() {
        return rows(
                        em,
                        "SELECT id, 1 FROM crq WHERE merge_state IN ('QUEUED', 'WAITING', 'BLOCKED') AND repo IS NOT NULL"
                                + " ORDER BY repo, target_branch, approved_at, id")
                .stream()
                .map(r -> crq(str(r[0])).orElseThrow())
                .toList();
    }

    /** The latest merges of a repo:target. */
    public List<MergedEntry> recentMerges(String repo, String targetBranch, int limit) {
        return rows(
                        em,
                        "SELECT id, title, merge_commit, approved_at, merged_at FROM crq WHERE merge_state = 'MERGED'"
                                + " AND repo = ?1 AND target_branch = ?2 ORDER BY merged_at DESC NULLS LAST, id"
                                + " LIMIT " + limit,
                        text(repo),
                        text(targetBranch))
                .stream()
                .map(r -> new MergedEntry(str(r[0]), str(r[1]), str(r[2]), instant(r[3]), instant(r[4])))
                .toList();
    }

    /** Every repo:target with a queue or a merge, as {repo, target}. */
    public List<String[]> queueKeys() {
        return rows(
                        em,
                        "SELECT DISTINCT repo, target_branch FROM crq WHERE merge_state IS NOT NULL AND repo IS NOT NULL"
                                + " AND target_branch IS NOT NULL ORDER BY repo, target_branch")
                .stream()
                .map(r -> new String[] {str(r[0]), str(r[1])})
                .toList();
    }

    public List<Exec> execsOf(String host, String crqId, int limit) {
        return rows(
                        em,
                        EXEC_COLUMNS + " WHERE (?1 IS NULL OR host = ?1) AND (?2 IS NULL OR crq_id = ?2)"
                                + " ORDER BY COALESCE(requested_at, started_at) DESC NULLS LAST, exec_id LIMIT "
                                + limit,
                        text(host),
                        text(crqId))
                .stream()
                .map(ReadModelQueries::exec)
                .toList();
    }

    public Optional<Exec> exec(String execId) {
        return rows(em, EXEC_COLUMNS + " WHERE exec_id = ?1", text(execId)).stream()
                .findFirst()
                .map(ReadModelQueries::exec);
    }

    private static final String EXEC_COLUMNS = "SELECT exec_id, host, crq_id, command, requested_by, status,"
            + " exit_code, reason, COALESCE(requested_at, started_at), ended_at FROM exec";

    private static Exec exec(Object[] r) {
        return new Exec(
                str(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                str(r[4]),
                str(r[5]),
                r[6] == null ? null : ((Number) r[6]).intValue(),
                str(r[7]),
                instant(r[8]),
                instant(r[9]));
    }

    public List<AuditRecord> auditOf(String host, int limit) {
        return rows(
                        em,
                        "SELECT event_id, host, crq_id, kind, occurred_at, host_seq, payload FROM audit_event"
                                + " WHERE host = ?1 ORDER BY occurred_at DESC, event_id LIMIT " + limit,
                        text(host))
                .stream()
                .map(r -> new AuditRecord(
                        str(r[0]), str(r[1]), str(r[2]), str(r[3]), instant(r[4]), longOrNull(r[5]), str(r[6])))
                .toList();
    }

    public List<AuditSourceCounters> sources(String host) {
        return rows(
                        em,
                        "SELECT host, kind, summaries, seen, captured, dropped, fell_behind FROM audit_source"
                                + " WHERE host = ?1 ORDER BY kind",
                        text(host))
                .stream()
                .map(r -> new AuditSourceCounters(
                        str(r[0]), str(r[1]), longOf(r[2]), longOf(r[3]), longOf(r[4]), longOf(r[5]), longOf(r[6])))
                .toList();
    }

    public Optional<ChainHealth> chain(String host) {
        return rows(
                        em,
                        "SELECT host, signed_events, max_seq, head_seq, head_signed_at FROM audit_chain WHERE host = ?1",
                        text(host))
                .stream()
                .findFirst()
                .map(r -> new ChainHealth(str(r[0]), longOf(r[1]), longOf(r[2]), longOrNull(r[3]), instant(r[4])));
    }

    /** Whether anything (an exec, an audit event, a signed head) is known of the host. */
    public boolean hostKnown(String host) {
        return !rows(
                        em,
                        "SELECT 1, 1 WHERE EXISTS (SELECT 1 FROM exec WHERE host = ?1)"
                                + " OR EXISTS (SELECT 1 FROM audit_event WHERE host = ?1)"
                                + " OR EXISTS (SELECT 1 FROM audit_chain WHERE host = ?1)",
                        text(host))
                .isEmpty();
    }

    public List<String> hosts() {
        return rows(
                        em,
                        "SELECT host, 1 FROM (SELECT host FROM exec UNION SELECT host FROM audit_event"
                                + " UNION SELECT host FROM audit_chain) h ORDER BY host")
                .stream()
                .map(r -> str(r[0]))
                .toList();
    }

    public Optional<Repo> repo(String name) {
        return rows(
                        em,
                        "SELECT name, location, default_branch, watched FROM repo WHERE name = ?1"
                                + " UNION ALL SELECT ?1, NULL, NULL, FALSE WHERE NOT EXISTS"
                                + " (SELECT 1 FROM repo WHERE name = ?1) AND (EXISTS (SELECT 1 FROM crq WHERE repo = ?1)"
                                + " OR EXISTS (SELECT 1 FROM git_commit WHERE repo = ?1)"
                                + " OR EXISTS (SELECT 1 FROM violation WHERE repo = ?1))",
                        text(name))
                .stream()
                .findFirst()
                .map(r -> new Repo(str(r[0]), str(r[1]), str(r[2]), Boolean.TRUE.equals(r[3])));
    }

    public List<String> repos() {
        return rows(
                        em,
                        "SELECT name, 1 FROM (SELECT name FROM repo UNION SELECT repo FROM crq WHERE repo IS NOT NULL"
                                + " UNION SELECT repo FROM git_commit) r ORDER BY name")
                .stream()
                .map(r -> str(r[0]))
                .toList();
    }

    public List<Violation> violations(String repo, int limit) {
        return rows(
                        em,
                        "SELECT repo, ref, commit_id, rule, detail, at FROM violation WHERE repo = ?1"
                                + " ORDER BY at DESC NULLS LAST, event_id LIMIT " + limit,
                        text(repo))
                .stream()
                .map(r -> new Violation(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), instant(r[5])))
                .toList();
    }

    private static final String CHANGE = "SELECT id, kind, crq_id, host, repo, at, summary, data::text FROM change";

    private static Change change(Object[] r) {
        return new Change(
                longOf(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), instant(r[5]), str(r[6]), str(r[7]));
    }

    /** The changes after {@code afterId}, oldest first, of one CRQ and/or host when given, at most {@code limit}. */
    public List<Change> changesAfter(long afterId, String crqId, String host, int limit) {
        return rows(
                        em,
                        CHANGE + " WHERE id > ?1 AND (?2 IS NULL OR crq_id = ?2) AND (?3 IS NULL OR host = ?3)"
                                + " ORDER BY id LIMIT " + limit,
                        number(afterId),
                        text(crqId),
                        text(host))
                .stream()
                .map(ReadModelQueries::change)
                .toList();
    }

    /** A CRQ's timeline: its changes, oldest first. */
    public List<Change> timeline(String crqId, int limit) {
        return rows(em, CHANGE + " WHERE crq_id = ?1 ORDER BY at, id LIMIT " + limit, text(crqId)).stream()
                .map(ReadModelQueries::change)
                .toList();
    }

    /** The id of the latest change, 0 when none. */
    public long lastChangeId() {
        return longOf(rows(em, "SELECT COALESCE(max(id), 0), 1 FROM change").get(0)[0]);
    }
}
