package io.gitcrq.console.repository;

import static io.gitcrq.console.repository.Sql.ids;
import static io.gitcrq.console.repository.Sql.integer;
import static io.gitcrq.console.repository.Sql.number;
import static io.gitcrq.console.repository.Sql.text;
import static io.gitcrq.console.repository.Sql.time;
import static io.gitcrq.console.repository.Sql.update;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Writes of the read model. Each is an upsert that a redelivered or reordered event cannot undo: events of one CRQ
 * travel on several topics, so a merge state only moves on for a newer event ({@code merge_at}), and MERGED stays.
 */
@ApplicationScoped
public class ReadModelWrites {

    private final EntityManager em;

    public ReadModelWrites(EntityManager em) {
        this.em = em;
    }

    /** Marks the database as filled from the topics' start; whether it was new (no mark yet). */
    public boolean markCreated() {
        return update(em, "INSERT INTO read_model (id) VALUES (1) ON CONFLICT DO NOTHING") == 1;
    }

    public void repoWatched(String repo, String location, String defaultBranch) {
        update(
                em,
                "INSERT INTO repo (name, location, default_branch, watched) VALUES (?1, ?2, ?3, TRUE)"
                        + " ON CONFLICT (name) DO UPDATE SET location = EXCLUDED.location,"
                        + " default_branch = EXCLUDED.default_branch, watched = TRUE",
                text(repo),
                text(location),
                text(defaultBranch));
    }

    public void repoUnwatched(String repo) {
        update(
                em,
                "INSERT INTO repo (name, watched) VALUES (?1, FALSE) ON CONFLICT (name) DO UPDATE SET watched = FALSE",
                text(repo));
    }

    public void branch(String repo, String name, String head, List<String> crqIds, boolean nameValid) {
        update(
                em,
                "INSERT INTO branch (repo, name, head, crq_ids, name_valid, deleted)"
                        + " VALUES (?1, ?2, ?3, string_to_array(?4, ','), ?5, FALSE)"
                        + " ON CONFLICT (repo, name) DO UPDATE SET head = EXCLUDED.head, crq_ids = EXCLUDED.crq_ids,"
                        + " name_valid = EXCLUDED.name_valid, deleted = FALSE",
                text(repo),
                text(name),
                text(head),
                ids(crqIds),
                new Sql.P(nameValid, Boolean.class));
    }

    public void branchDeleted(String repo, String name) {
        update(
                em,
                "INSERT INTO branch (repo, name, deleted) VALUES (?1, ?2, TRUE)"
                        + " ON CONFLICT (repo, name) DO UPDATE SET deleted = TRUE",
                text(repo),
                text(name));
    }

    public void commit(
            String repo,
            String commitId,
            String branch,
            String author,
            String message,
            List<String> crqIds,
            Instant at) {
        update(
                em,
                "INSERT INTO git_commit (repo, commit_id, branch, author, message, crq_ids, pushed_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, string_to_array(?6, ','), ?7) ON CONFLICT DO NOTHING",
                text(repo),
                text(commitId),
                text(branch),
                text(author),
                text(message),
                ids(crqIds),
                time(at));
        // The branch's head is its latest commit; the CRQs it serves are the commit's when the branch was not known.
        update(
                em,
                "INSERT INTO branch (repo, name, head, crq_ids) VALUES (?1, ?2, ?3, string_to_array(?4, ','))"
                        + " ON CONFLICT (repo, name) DO UPDATE SET head = EXCLUDED.head, deleted = FALSE,"
                        + " crq_ids = CASE WHEN cardinality(branch.crq_ids) = 0 THEN EXCLUDED.crq_ids"
                        + " ELSE branch.crq_ids END",
                text(repo),
                text(branch),
                text(commitId),
                ids(crqIds));
    }

    public void violation(
            String eventId, String repo, String ref, String commitId, String rule, String detail, Instant at) {
        update(
                em,
                "INSERT INTO violation (event_id, repo, ref, commit_id, rule, detail, at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                text(eventId),
                text(repo),
                text(ref),
                text(commitId),
                text(rule),
                text(detail),
                time(at));
    }

    /** A CRQ's row, made if its first event to arrive is not its CrqCreated. */
    private void ensureCrq(String crqId) {
        update(em, "INSERT INTO crq (id) VALUES (?1) ON CONFLICT DO NOTHING", text(crqId));
    }

    public void crqCreated(
            String crqId,
            String title,
            String description,
            String requester,
            String repo,
            String targetBranch,
            Instant createdAt) {
        ensureCrq(crqId);
        update(
                em,
                "UPDATE crq SET title = COALESCE(?2, ''), description = COALESCE(?3, ''), requester = ?4, repo = ?5,"
                        + " target_branch = ?6, created_at = ?7, updated_at = now() WHERE id = ?1",
                text(crqId),
                text(title),
                text(description),
                text(requester),
                text(repo),
                text(targetBranch),
                time(createdAt));
    }

    public void crqEdited(String crqId, String title, String description) {
        ensureCrq(crqId);
        update(
                em,
                "UPDATE crq SET title = ?2, description = ?3, updated_at = now() WHERE id = ?1",
                text(crqId),
                text(title),
                text(description));
    }

    /**
     * A status change (crq-events are in order per CRQ). Back to SUBMITTED (an approval withdrawn) or ended without a
     * merge, the CRQ leaves its merge queue.
     */
    public void crqStatus(String crqId, String status, String reason, Instant at) {
        ensureCrq(crqId);
        update(
                em,
                "UPDATE crq SET status = ?2, status_reason = ?3, updated_at = now() WHERE id = ?1",
                text(crqId),
                text(status),
                text(reason));
        if (status.equals("SUBMITTED") || status.equals("CANCELLED") || status.equals("REJECTED")) {
            update(
                    em,
                    "UPDATE crq SET merge_state = NULL, merge_reason = NULL, merge_at = CAST(?2 AS timestamptz)"
                            + " WHERE id = ?1 AND merge_state IN ('QUEUED', 'WAITING', 'BLOCKED')"
                            + " AND (merge_at IS NULL OR CAST(?2 AS timestamptz) IS NULL"
                            + " OR merge_at <= CAST(?2 AS timestamptz))",
                    text(crqId),
                    time(at));
        }
    }

    public void approved(
            String eventId,
            String crqId,
            String approver,
            String requester,
            String repo,
            String targetBranch,
            String headCommit,
            Instant approvedAt) {
        ensureCrq(crqId);
        update(
                em,
                "INSERT INTO approval (event_id, crq_id, approver, head_commit, approved_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                text(eventId),
                text(crqId),
                text(approver),
                text(headCommit),
                time(approvedAt));
        update(
                em,
                "UPDATE crq SET approver = ?2, approved_commit = ?3, approved_at = ?4,"
                        + " requester = COALESCE(requester, ?5), repo = COALESCE(repo, ?6),"
                        + " target_branch = COALESCE(target_branch, ?7), updated_at = now() WHERE id = ?1",
                text(crqId),
                text(approver),
                text(headCommit),
                time(approvedAt),
                text(requester),
                text(repo),
                text(targetBranch));
        mergeState(crqId, "QUEUED", null, approvedAt);
    }

    /** Moves the CRQ's merge state on unless a newer merge event was seen already, or it is MERGED. */
    public void mergeState(String crqId, String state, String reason, Instant at) {
        ensureCrq(crqId);
        update(
                em,
                "UPDATE crq SET merge_state = ?2, merge_reason = ?3, merge_at = CAST(?4 AS timestamptz),"
                        + " updated_at = now() WHERE id = ?1 AND merge_state IS DISTINCT FROM 'MERGED'"
                        + " AND (merge_at IS NULL OR CAST(?4 AS timestamptz) IS NULL"
                        + " OR merge_at <= CAST(?4 AS timestamptz))",
                text(crqId),
                text(state),
                text(reason),
                time(at));
    }

    public void merged(String crqId, String repo, String targetBranch, String mergeCommit, Instant mergedAt) {
        ensureCrq(crqId);
        update(
                em,
                "UPDATE crq SET merge_state = 'MERGED', merge_reason = NULL, merge_commit = ?2, merged_at = ?3,"
                        + " merge_at = ?3, repo = COALESCE(repo, ?4), target_branch = COALESCE(target_branch, ?5),"
                        + " updated_at = now() WHERE id = ?1",
                text(crqId),
                text(mergeCommit),
                time(mergedAt),
                text(repo),
                text(targetBranch));
    }

    public void check(String repo, String commitId, String name, String status, String url, String by, Instant at) {
        update(
                em,
                "INSERT INTO check_run (repo, commit_id, name, status, url, reported_by, at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (repo, commit_id, name) DO UPDATE SET"
                        + " status = EXCLUDED.status, url = EXCLUDED.url, reported_by = EXCLUDED.reported_by,"
                        + " at = EXCLUDED.at WHERE check_run.at IS NULL OR check_run.at <= EXCLUDED.at",
                text(repo),
                text(commitId),
                text(name),
                text(status),
                text(url),
                text(by),
                time(at));
    }

    public void execRequested(
            String execId,
            String host,
            String crqId,
            String command,
            String requestedBy,
            String session,
            String pane,
            Instant at) {
        update(
                em,
                "INSERT INTO exec (exec_id, host, crq_id, command, requested_by, session, pane, requested_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (exec_id) DO UPDATE SET"
                        + " command = EXCLUDED.command, requested_by = EXCLUDED.requested_by,"
                        + " session = EXCLUDED.session, pane = EXCLUDED.pane,"
                        + " requested_at = COALESCE(exec.requested_at, EXCLUDED.requested_at)",
                text(execId),
                text(host),
                text(crqId),
                text(command),
                text(requestedBy),
                text(session),
                text(pane),
                time(at));
    }

    /**
     * What an exec-agent's {@code exec} audit record says of a command it ran (masked): fills what no ExecRequested
     * told (a command run through the agent's own API has none), never replacing what it did.
     */
    public void execAudited(
            String execId, String host, String crqId, String command, String requestedBy, String session, String pane) {
        update(
                em,
                "INSERT INTO exec (exec_id, host, crq_id, command, requested_by, session, pane)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (exec_id) DO UPDATE SET"
                        + " command = COALESCE(exec.command, EXCLUDED.command),"
                        + " requested_by = COALESCE(exec.requested_by, EXCLUDED.requested_by),"
                        + " session = COALESCE(exec.session, EXCLUDED.session),"
                        + " pane = COALESCE(exec.pane, EXCLUDED.pane)",
                text(execId),
                text(host),
                text(crqId),
                text(command),
                text(requestedBy),
                text(session),
                text(pane));
    }

    public void execFinished(
            String execId,
            String host,
            String crqId,
            String status,
            int exitCode,
            String reason,
            Instant startedAt,
            Instant endedAt) {
        update(
                em,
                "INSERT INTO exec (exec_id, host, crq_id, status, exit_code, reason, started_at, ended_at, requested_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7) ON CONFLICT (exec_id) DO UPDATE SET"
                        + " status = EXCLUDED.status, exit_code = EXCLUDED.exit_code, reason = EXCLUDED.reason,"
                        + " started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at",
                text(execId),
                text(host),
                text(crqId),
                text(status),
                integer(exitCode),
                text(reason),
                time(startedAt),
                time(endedAt));
    }

    /** Stores an audit event; false when it was stored before. */
    public boolean audit(
            String eventId, String host, String crqId, String kind, Instant at, Long hostSeq, String payload) {
        int inserted = update(
                em,
                "INSERT INTO audit_event (event_id, host, crq_id, kind, occurred_at, host_seq, payload)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                text(eventId),
                text(host),
                text(crqId),
                text(kind),
                time(at),
                number(hostSeq),
                text(payload));
        if (inserted == 1 && hostSeq != null) {
            update(
                    em,
                    "INSERT INTO audit_chain (host, signed_events, max_seq) VALUES (?1, 1, ?2)"
                            + " ON CONFLICT (host) DO UPDATE SET signed_events = audit_chain.signed_events + 1,"
                            + " max_seq = GREATEST(audit_chain.max_seq, EXCLUDED.max_seq)",
                    text(host),
                    number(hostSeq));
        }
        return inserted == 1;
    }

    /** Adds one {@code <kind>.summary}'s counts to its source's. */
    public void sourceSummary(String host, String kind, long seen, long captured, long dropped, boolean fellBehind) {
        update(
                em,
                "INSERT INTO audit_source (host, kind, summaries, seen, captured, dropped, fell_behind)"
                        + " VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6) ON CONFLICT (host, kind) DO UPDATE SET"
                        + " summaries = audit_source.summaries + 1, seen = audit_source.seen + EXCLUDED.seen,"
                        + " captured = audit_source.captured + EXCLUDED.captured,"
                        + " dropped = audit_source.dropped + EXCLUDED.dropped,"
                        + " fell_behind = audit_source.fell_behind + EXCLUDED.fell_behind",
                text(host),
                text(kind),
                number(seen),
                number(captured),
                number(dropped),
                number(fellBehind ? 1L : 0L));
    }

    public void headSigned(String host, long lastSeq, Instant signedAt) {
        update(
                em,
                "INSERT INTO audit_chain (host, head_seq, head_signed_at) VALUES (?1, ?2, ?3)"
                        + " ON CONFLICT (host) DO UPDATE SET head_seq = GREATEST(audit_chain.head_seq, EXCLUDED.head_seq),"
                        + " head_signed_at = GREATEST(audit_chain.head_signed_at, EXCLUDED.head_signed_at)",
                text(host),
                number(lastSeq),
                time(signedAt));
    }

    /**
     * Appends a change to the live stream's log. The first append of a transaction takes a lock held to its commit,
     * so that change ids are committed in their order: a reader that saw id N never later sees a smaller one appear.
     */
    public void change(String kind, String crqId, String host, String repo, Instant at, String summary, String json) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7357001)) locked")
                .getSingleResult();
        update(
                em,
                "INSERT INTO change (kind, crq_id, host, repo, at, summary, data)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS jsonb))",
                text(kind),
                text(crqId),
                text(host),
                text(repo),
                time(at),
                text(summary),
                text(json));
    }
}
