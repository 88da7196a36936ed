package io.gitcrq.model.api.crq;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** POST /crqs: a new change request; without a target branch it merges into main. */
public record CreateCrqRequest(String title, String description, String repo, String targetBranch) {

    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 20000;
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    public String targetBranchOrDefault() {
        return targetBranch == null ? "main" : targetBranch;
    }

    /** What is wrong with the request, one "field problem" each, sorted; empty when it may be created. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (title == null || title.trim().isEmpty()) {
            problems.add("title must not be blank");
        }
        if (title != null && title.length() > MAX_TITLE) {
            problems.add("title size must be between 0 and " + MAX_TITLE);
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("description size must be between 0 and " + MAX_DESCRIPTION);
        }
        if (repo == null || repo.trim().isEmpty()) {
            problems.add("repo must not be blank");
        }
        if (repo != null && !REPO.matcher(repo).matches()) {
            problems.add("repo must be a repository name watched by git-watcher");
        }
        if (targetBranch != null && !BRANCH.matcher(targetBranch).matches()) {
            problems.add("targetBranch must be a branch name");
        }
        problems.sort(null);
        return problems;
    }
}
