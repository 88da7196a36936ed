package io.gitcrq.model.api.crq;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /crqs/{id}/exec-requests}: a command to run on {@code host}'s exec-agent in tmux pane
 * {@code pane} of {@code session}, for the CRQ, sent through Kafka with an exec grant crq-service signs for the caller.
 * {@code cwd}, {@code branch}, {@code audit} and {@code auditPaths} mean what they mean in {@code POST /execs}; the
 * agent checks them again (and its host policy) before it runs anything.
 */
public record QueueExecRequest(
        String host,
        String session,
        String pane,
        String command,
        String cwd,
        String branch,
        List<String> audit,
        List<String> auditPaths) {

    /** As exec-agent's own limit, so that a command it would refuse anyway is a 400 here. */
    public static final int MAX_COMMAND = 8000;

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}");
    // tmux's rules, as exec-agent's ExecOrder applies them.
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PANE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    /** What is wrong with the request, one "field problem" each, sorted; empty when it may be sent. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        check(problems, "host", host, HOST, "a host name");
        check(problems, "session", session, SESSION, "1 to 64 letters, digits, '_' or '-'");
        check(problems, "pane", pane, PANE, "1 to 64 letters, digits, '_', '.' or '-'");
        if (command == null || command.isBlank()) {
            problems.add("command must not be blank");
        } else if (command.length() > MAX_COMMAND) {
            problems.add("command size must be between 1 and " + MAX_COMMAND);
        }
        if (branch != null && !BRANCH.matcher(branch).matches()) {
            problems.add("branch must be a branch name");
        }
        problems.sort(null);
        return problems;
    }

    private static void check(List<String> problems, String field, String value, Pattern pattern, String what) {
        if (value == null || value.isBlank()) {
            problems.add(field + " must not be blank");
        } else if (!pattern.matcher(value).matches()) {
            problems.add(field + " must be " + what);
        }
    }
}
