package io.gitcrq.cli.output;

import io.gitcrq.model.api.crq.CrqView;
import java.io.PrintWriter;
import java.util.List;

/** Human text for change requests as crq-service returns them. */
public final class CrqText {

    private static final int SHORT_SHA = 8;

    private CrqText() {}

    /**
     * The full view of one CRQ: fields (with the commit its approval is for, in full, or why its approval was
     * withdrawn), links (branches with their heads, commits), history and why it is blocked.
     */
    public static void details(CrqView crq, PrintWriter out) {
        out.println(orElse(crq.id(), "?") + "  " + orElse(crq.title(), ""));
        field(out, "status", crq.status());
        field(out, "requester", crq.requester());
        field(out, "approver", crq.approver());
        if (crq.approvedCommit() != null) {
            field(out, "approved", crq.approvedCommit() + " (the commit merge-bot merges)");
        }
        if (!isBlank(crq.approvalWithdrawn())) {
            field(out, "withdrawn", crq.approvalWithdrawn());
        }
        field(out, "repo", crq.repo());
        field(out, "target", crq.targetBranch());
        if (!isBlank(crq.description())) {
            field(out, "description", crq.description());
        }
        if (crq.mergeCommit() != null) {
            field(out, "merged as", shortSha(crq.mergeCommit()));
        }
        if (crq.mergeState() != null && !"MERGED".equals(crq.mergeState())) {
            field(out, "merge", crq.mergeState());
        }
        if (!isBlank(crq.waitingReason())) {
            field(out, "waiting", crq.waitingReason());
        }
        if (!isBlank(crq.blockedReason())) {
            field(out, "blocked", crq.blockedReason());
        }

        CrqView.Links links = crq.links();
        List<CrqView.BranchLink> branches = links == null ? null : links.branches();
        List<CrqView.CommitLink> commits = links == null ? null : links.commits();
        out.println();
        out.println("branches:" + (isEmpty(branches) ? " none" : ""));
        for (CrqView.BranchLink branch : orNone(branches)) {
            out.println("  " + orElse(branch.repo(), "?") + "  " + orElse(branch.branch(), "?")
                    + (isBlank(branch.head()) ? "" : "  head " + shortSha(branch.head())));
        }
        out.println("commits:" + (isEmpty(commits) ? " none" : ""));
        for (CrqView.CommitLink commit : orNone(commits)) {
            out.println("  " + shortSha(orElse(commit.commitId(), "?")) + "  " + subject(commit.message()) + "  ("
                    + orElse(commit.repo(), "?") + " " + orElse(commit.branch(), "?") + ")");
        }

        List<CrqView.Transition> history = crq.history();
        out.println("history:" + (isEmpty(history) ? " none" : ""));
        for (CrqView.Transition step : orNone(history)) {
            out.println(
                    "  " + Json.time(step.at()) + "  " + orElse(step.from(), "(new)") + " → " + orElse(step.to(), "?")
                            + "  by " + orElse(step.actor(), "?")
                            + (isBlank(step.reason()) ? "" : "  reason: " + step.reason()));
        }
    }

    /** One line per CRQ. */
    public static Table list(List<CrqView> crqs) {
        Table table = new Table("ID", "STATUS", "REPO", "TARGET", "REQUESTER", "TITLE");
        for (CrqView crq : crqs) {
            table.row(crq.id(), crq.status(), crq.repo(), crq.targetBranch(), crq.requester(), crq.title());
        }
        return table;
    }

    public static String shortSha(String sha) {
        return sha != null && sha.length() > SHORT_SHA ? sha.substring(0, SHORT_SHA) : sha;
    }

    /** The first line of a commit message. */
    public static String subject(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
    }

    /** {@code value}, or {@code fallback} when it is missing or blank. */
    public static String orElse(String value, String fallback) {
        return isBlank(value) ? fallback : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static <T> List<T> orNone(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("  %-10s %s%n", name + ":", value == null || value.isBlank() ? "-" : value);
    }
}
