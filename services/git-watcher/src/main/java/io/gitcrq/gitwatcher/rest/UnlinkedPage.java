package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.repository.EmittedCommits;
import java.util.List;

/** One page of the unlinked-commits report: commits announced without any CRQ, newest first. */
public record UnlinkedPage(long total, int page, int size, List<EmittedCommits.UnlinkedCommit> commits) {}
