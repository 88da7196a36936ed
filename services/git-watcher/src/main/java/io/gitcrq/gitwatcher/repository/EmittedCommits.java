package io.gitcrq.gitwatcher.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import io.gitcrq.gitwatcher.git.GitCommit;
import io.gitcrq.model.api.git.UnlinkedCommit;
import io.gitcrq.model.event.GitPerson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The commits of each repository already announced as CommitPushed, with what the unlinked report shows. */
@ApplicationScoped
public class EmittedCommits {

    private static final int MAX_SUBJECT = 1000;

    /** Which unlinked commits to list; null fields do not filter. {@code to} is exclusive. */
    public record UnlinkedFilter(String repo, String branch, Instant from, Instant to) {}

    private final EntityManager em;

    public EmittedCommits(EntityManager em) {
        this.em = em;
    }

    /**
     * Records the commit as announced with the CRQs it is linked to; {@code false} if it already was (then
     * it must not be announced again).
     */
    public boolean markEmitted(String repo, String branch, GitCommit commit, List<String> crqIds) {
        GitPerson author = commit.author();
        GitPerson committer = commit.committer() != null ? commit.committer() : author;
        return em.createNativeQuery("INSERT INTO emitted_commit (repo, commit_id, branch, emitted_at, author_name, "
                                + "author_email, committed_at, subject, crq_ids) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                                + "ON CONFLICT DO NOTHING")
                        .setParameter(1, repo)
                        .setParameter(2, commit.id())
                        .setParameter(3, branch)
                        .setParameter(4, Timestamp.from(Instant.now()))
                        .setParameter(5, author == null ? null : author.name())
                        .setParameter(6, author == null ? null : author.email())
                        .setParameter(
                                7,
                                committer == null || committer.when() == null ? null : Timestamp.from(committer.when()))
                        .setParameter(8, subjectOf(commit.message()))
                        .setParameter(9, String.join(",", crqIds))
                        .executeUpdate()
                == 1;
    }

    /** Newest first (by commit time). */
    @SuppressWarnings("unchecked")
    public List<UnlinkedCommit> unlinked(UnlinkedFilter filter, int offset, int limit) {
        Query query = em.createNativeQuery("SELECT commit_id, branch, author_name, author_email, committed_at, subject "
                + "FROM emitted_commit WHERE " + unlinkedCondition(filter)
                + " ORDER BY committed_at DESC, commit_id DESC OFFSET :offset LIMIT :limit");
        bind(query, filter);
        query.setParameter("offset", offset).setParameter("limit", limit);
        List<UnlinkedCommit> commits = new ArrayList<>();
        for (Object[] r : (List<Object[]>) query.getResultList()) {
            commits.add(new UnlinkedCommit(
                    (String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4]), (String) r[5]));
        }
        return commits;
    }

    public long countUnlinked(UnlinkedFilter filter) {
        Query query = em.createNativeQuery("SELECT count(*) FROM emitted_commit WHERE " + unlinkedCondition(filter));
        bind(query, filter);
        return ((Number) query.getSingleResult()).longValue();
    }

    // Fixed fragments for the filters given; the values are bound, never written into the SQL.
    private static String unlinkedCondition(UnlinkedFilter filter) {
        return "repo = :repo AND crq_ids = ''"
                + (filter.branch() == null ? "" : " AND branch = :branch")
                + (filter.from() == null ? "" : " AND committed_at >= :from")
                + (filter.to() == null ? "" : " AND committed_at < :to");
    }

    private static void bind(Query query, UnlinkedFilter filter) {
        query.setParameter("repo", filter.repo());
        if (filter.branch() != null) {
            query.setParameter("branch", filter.branch());
        }
        if (filter.from() != null) {
            query.setParameter("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            query.setParameter("to", Timestamp.from(filter.to()));
        }
    }

    private static String subjectOf(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int end = trimmed.indexOf('\n');
        String subject = (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
        return subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) : subject;
    }
}
