package io.gitcrq.mergebot.service;

import io.gitcrq.model.event.CheckReported;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a commit may be merged as far as the repository's required checks go: every one of them must have
 * reported SUCCESS on that exact commit. One FAILURE blocks it (until the check reports again); a check not
 * reported yet or PENDING makes it wait.
 */
public final class RequiredChecks {

    public enum State {
        READY,
        WAITING,
        FAILED
    }

    /** {@code reason} names the checks that fail or are awaited, and the commit; empty when READY. */
    public record Verdict(State state, String reason) {
        static final Verdict READY = new Verdict(State.READY, null);
    }

    /** The latest report of a check on the commit. */
    public record Report(String status, String url) {}

    private RequiredChecks() {}

    /**
     * @param required the repository's required check names
     * @param reports  the reports on {@code commit}, by check name
     * @param commit   the commit's short id, as people see it in reasons
     * @param branch   the branch whose head the commit is
     */
    public static Verdict verdict(List<String> required, Map<String, Report> reports, String commit, String branch) {
        List<String> failed = new ArrayList<>();
        List<String> awaited = new ArrayList<>();
        for (String name : required) {
            Report report = reports.get(name);
            if (report == null) {
                awaited.add(name + " (not reported)");
            } else if (CheckReported.FAILURE.equals(report.status())) {
                failed.add(report.url() == null || report.url().isBlank() ? name : name + " (" + report.url() + ")");
            } else if (!CheckReported.SUCCESS.equals(report.status())) {
                awaited.add(name + " (" + report.status().toLowerCase(Locale.ROOT) + ")");
            }
        }
        if (!failed.isEmpty()) {
            return new Verdict(
                    State.FAILED,
                    "required check" + (failed.size() == 1 ? " " : "s ")
                            + String.join(", ", failed) + " failed on " + commit + " of " + branch
                            + "; fix the branch and push, or report the check again when it passes");
        }
        if (!awaited.isEmpty()) {
            return new Verdict(
                    State.WAITING,
                    "waiting for checks: " + String.join(", ", awaited) + " on " + commit + " of " + branch);
        }
        return Verdict.READY;
    }
}
