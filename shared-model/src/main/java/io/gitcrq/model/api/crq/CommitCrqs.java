package io.gitcrq.model.api.crq;

import java.util.List;

/** GET /commits/{commitId}/crqs: the change requests a commit is linked to. */
public record CommitCrqs(String commitId, List<String> crqIds) {}
