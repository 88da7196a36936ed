package io.gitcrq.crq.domain;

/** The latest commit git-watcher announced on a branch whose name names a CRQ. */
public record BranchHead(String repo, String branch, String head) {}
