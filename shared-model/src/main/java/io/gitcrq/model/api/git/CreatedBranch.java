package io.gitcrq.model.api.git;

/** A branch git-watcher created ({@code POST /repos/{name}/branches}, 201) and the commit it starts at. */
public record CreatedBranch(String repo, String branch, String head) {}
