package io.gitcrq.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** Human text for change requests as crq-service returns them. */
public final class CrqText {

    private static final int SHORT_SHA = 8;

    private CrqText() {}

    /** The full view of one CRQ: fields, links (branches, commits), history and why it is blocked. */
    public static void details(JsonNode crq, PrintWriter out) {
        out.println(Json.text(crq, "id", "?") + "  " + Json.text(crq, "title", ""));
        field(out, "status", Json.text(crq, "status"));
        field(out, "requester", Json.text(crq, "requester"));
        field(out, "approver", Json.text(crq, "approver"));
        field(out, "repo", Json.text(crq, "repo"));
        field(out, "target", Json.text(crq, "targetBranch"));
        String description = Json.text(crq, "description");
        if (description != null && !description.isBlank()) {
            field(out, "description", description);
        }
        String mergeCommit = Json.text(crq, "mergeCommit");
        if (mergeCommit != null) {
            field(out, "merged as", shortSha(mergeCommit));
        }
        String mergeState = Json.text(crq, "mergeState");
        if (mergeState != null && !"MERGED".equals(mergeState)) {
            field(out, "merge", mergeState);
        }
        String waiting = Json.text(crq, "waitingReason");
        if (waiting != null && !waiting.isBlank()) {
            field(out, "waiting", waiting);
        }
        String blocked = Json.text(crq, "blockedReason");
        if (blocked != null && !blocked.isBlank()) {
            field(out, "blocked", blocked);
        }

        JsonNode links = crq.path("links");
        List<JsonNode> branches = Json.items(links, "branches");
        List<JsonNode> commits = Json.items(links, "commits");
        out.println();
        out.println("branches:" + (branches.isEmpty() ? " none" : ""));
        for (JsonNode branch : branches) {
            out.println("  " + Json.text(branch, "repo", "?") + "  " + Json.text(branch, "branch", "?"));
        }
        out.println("commits:" + (commits.isEmpty() ? " none" : ""));
        for (JsonNode commit : commits) {
            out.println(
                    "  " + shortSha(Json.text(commit, "commitId", "?")) + "  " + subject(Json.text(commit, "message"))
                            + "  (" + Json.text(commit, "repo", "?") + " " + Json.text(commit, "branch", "?") + ")");
        }

        List<JsonNode> history = Json.items(crq, "history");
        out.println("history:" + (history.isEmpty() ? " none" : ""));
        for (JsonNode step : history) {
            String reason = Json.text(step, "reason");
            out.println("  " + Json.time(Json.text(step, "at")) + "  " + Json.text(step, "from", "(new)") + " → "
                    + Json.text(step, "to", "?") + "  by " + Json.text(step, "actor", "?")
                    + (reason == null || reason.isBlank() ? "" : "  reason: " + reason));
        }
    }

    /** One line per CRQ. */
    public static Table list(List<JsonNode> crqs) {
        Table table = new Table("ID", "STATUS", "REPO", "TARGET", "REQUESTER", "TITLE");
        for (JsonNode crq : crqs) {
            table.row(
                    Json.text(crq, "id"),
                    Json.text(crq, "status"),
                    Json.text(crq, "repo"),
                    Json.text(crq, "targetBranch"),
                    Json.text(crq, "requester"),
                    Json.text(crq, "title"));
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

    private static void field(PrintWriter out, String name, String value) {
        out.printf("  %-10s %s%n", name + ":", value == null || value.isBlank() ? "-" : value);
    }
}
