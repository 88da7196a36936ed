package io.gitcrq.gitwatcher.git;

import io.gitcrq.model.event.GitPerson;
import java.util.List;

/** What git-watcher tells about one commit. */
public record GitCommit(String id, List<String> parents, GitPerson author, GitPerson committer, String message) {}
