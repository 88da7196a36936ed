package io.gitcrq.console.service;

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
import io.gitcrq.console.domain.CrqStatuses;
import io.gitcrq.console.domain.Exec;
import io.gitcrq.console.domain.MergeQueueView;
import io.gitcrq.console.domain.MergeState;
import io.gitcrq.console.domain.QueueEntry;
import io.gitcrq.console.domain.Repo;
import io.gitcrq.console.domain.Violation;
import io.gitcrq.console.repository.ReadModelQueries;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the pages show, read from the read model. Read-only: nothing here changes anything. */
@ApplicationScoped
@Transactional
public class Console {

    static final int BOARD_LIMIT = 500;
    static final int LIST_LIMIT = 100;
    static final int RECENT_MERGES = 10;
    static final int MAX_TEXT = 200;

    private final ReadModelQueries queries;

    public Console(ReadModelQueries queries) {
        this.queries = queries;
    }

    /** The board: the CRQs matching the filter, by status (every status present, in lifecycle order). */
    public Map<String, List<CrqCard>> board(BoardFilter filter) {
        BoardFilter f = new BoardFilter(
                blankToNull(filter.repo(), "repo"),
                blankToNull(filter.requester(), "requester"),
                blankToNull(filter.approver(), "approver"),
                blankToNull(filter.search(), "q"));
        Map<String, List<CrqCard>> byStatus = new LinkedHashMap<>();
        CrqStatuses.ALL.forEach(s -> byStatus.put(s, new ArrayList<>()));
        for (CrqCard card : queries.board(f, BOARD_LIMIT)) {
            byStatus.computeIfAbsent(card.status(), s -> new ArrayList<>()).add(card);
        }
        return byStatus;
    }

    public List<String> repos() {
        return queries.repos();
    }

    public List<String> hosts() {
        return queries.hosts();
    }

    /** A CRQ page's facts. */
    public record CrqPage(
            CrqDetail crq,
            List<Approval> approvals,
            List<Branch> branches,
            List<Commit> commits,
            List<Check> checks,
            List<Exec> execs,
            List<Change> timeline) {}

    public CrqPage crq(String id) {
        String crqId = required(id, "id");
        CrqDetail crq = queries.crq(crqId).orElseThrow(() -> new EntityNotFoundException("no change request " + crqId));
        List<Check> checks = crq.approvedCommit() == null || crq.repo() == null
                ? List.of()
                : queries.checks(crq.repo(), crq.approvedCommit());
        return new CrqPage(
                crq,
                queries.approvals(crqId),
                queries.branchesOf(crqId),
                queries.commitsOf(crqId),
                checks,
                queries.execsOf(null, crqId, LIST_LIMIT),
                queries.timeline(crqId, 5000));
    }

    /** Every merge queue (repo:target) with CRQs in it or merges behind it. */
    public List<MergeQueueView> queues() {
        Map<String, List<QueueEntry>> entries = new LinkedHashMap<>();
        for (CrqDetail crq : queries.queued()) {
            List<Check> checks =
                    crq.approvedCommit() == null ? List.of() : queries.checks(crq.repo(), crq.approvedCommit());
            entries.computeIfAbsent(crq.repo() + "\n" + crq.targetBranch(), k -> new ArrayList<>())
                    .add(new QueueEntry(
                            crq.id(),
                            crq.title(),
                            crq.mergeState(),
                            crq.mergeReason(),
                            crq.approver(),
                            crq.approvedCommit(),
                            crq.approvedAt(),
                            checks));
        }
        List<MergeQueueView> queues = new ArrayList<>();
        for (String[] key : queries.queueKeys()) {
            List<QueueEntry> queue = entries.getOrDefault(key[0] + "\n" + key[1], List.of());
            queues.add(new MergeQueueView(
                    key[0], key[1], queue, nextAction(queue), queries.recentMerges(key[0], key[1], RECENT_MERGES)));
        }
        return queues;
    }

    /** What merge-bot does next in a queue, as its events tell it: the first CRQ not blocked is merged next. */
    static String nextAction(List<QueueEntry> queue) {
        Optional<QueueEntry> next = queue.stream()
                .filter(e -> !MergeState.BLOCKED.equals(e.state()))
                .findFirst();
        if (next.isEmpty()) {
            return queue.isEmpty() ? "nothing to merge" : "every CRQ is blocked: each needs what its reason says";
        }
        QueueEntry e = next.get();
        return MergeState.WAITING.equals(e.state())
                ? "merge " + e.crqId() + " once it no longer waits: " + e.reason()
                : "merge " + e.crqId();
    }

    /** A host page's facts. */
    public record HostPage(
            String host,
            List<Exec> execs,
            List<AuditRecord> audit,
            List<AuditSourceCounters> sources,
            ChainHealth chain) {}

    public HostPage host(String name) {
        String host = required(name, "host");
        if (!queries.hostKnown(host)) {
            throw new EntityNotFoundException("no host " + host);
        }
        return new HostPage(
                host,
                queries.execsOf(host, null, LIST_LIMIT),
                queries.auditOf(host, LIST_LIMIT),
                queries.sources(host),
                queries.chain(host).orElse(null));
    }

    /** An exec: the command, who ran it, how it ended. */
    public Exec exec(String id) {
        String execId = required(id, "exec");
        return queries.exec(execId).orElseThrow(() -> new EntityNotFoundException("no exec " + execId));
    }

    /** A repository page's facts. */
    public record RepoPage(Repo repo, List<Violation> violations, List<Commit> unlinked) {}

    public RepoPage repo(String name) {
        String repo = required(name, "repo");
        Repo known = queries.repo(repo).orElseThrow(() -> new EntityNotFoundException("no repository " + repo));
        return new RepoPage(known, queries.violations(repo, LIST_LIMIT), queries.unlinkedCommits(repo, LIST_LIMIT));
    }

    /** The id of the latest change (where a page's live stream starts). */
    public long lastChangeId() {
        return queries.lastChangeId();
    }

    private static String required(String value, String name) {
        String v = blankToNull(value, name);
        if (v == null) {
            throw new InvalidRequestException(name + " is required");
        }
        return v;
    }

    static String blankToNull(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new InvalidRequestException(name + " is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }
}
