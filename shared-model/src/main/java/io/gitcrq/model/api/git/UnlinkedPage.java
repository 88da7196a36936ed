package io.gitcrq.model.api.git;

import java.util.List;

/** One page of the unlinked-commits report ({@code GET /repos/{name}/unlinked-commits}), newest first. */
public record UnlinkedPage(long total, int page, int size, List<UnlinkedCommit> commits) {}
