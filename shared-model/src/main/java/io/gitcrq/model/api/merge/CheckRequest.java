package io.gitcrq.model.api.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * POST /checks: a check report as CI posts it. The status (PENDING, SUCCESS or FAILURE) and the url (http or
 * https, without credentials) are merge-bot's to judge.
 */
public record CheckRequest(String repo, String commitId, String name, String status, String url) {

    /** A check's name: also what merge settings list as required checks. */
    public static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}");

    public static final String CHECK_NAME_RULE = "must be a check name: letters, digits and . _ : / - (at most 100)";
    public static final int MAX_URL = 2000;
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

    public String commitIdLowerCase() {
        return commitId.toLowerCase(Locale.ROOT);
    }

    /** What is wrong with the report's form, one "field problem" each, sorted; empty when it may be judged. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        notBlank(problems, "repo", repo);
        if (repo != null && !REPO.matcher(repo).matches()) {
            problems.add("repo must be a repository name");
        }
        notBlank(problems, "commitId", commitId);
        if (commitId != null && !COMMIT_ID.matcher(commitId).matches()) {
            problems.add("commitId must be a full commit id (40 or 64 hex digits)");
        }
        notBlank(problems, "name", name);
        if (name != null && !CHECK_NAME.matcher(name).matches()) {
            problems.add("name " + CHECK_NAME_RULE);
        }
        notBlank(problems, "status", status);
        if (url != null && url.length() > MAX_URL) {
            problems.add("url size must be between 0 and " + MAX_URL);
        }
        problems.sort(null);
        return problems;
    }

    private static void notBlank(List<String> problems, String field, String value) {
        if (value == null || value.trim().isEmpty()) {
            problems.add(field + " must not be blank");
        }
    }
}
