package io.gitcrq.crq.domain;

/** A branch linked to a CRQ; {@code head} is known for a branch whose name names the CRQ, else null. */
public record BranchLink(String repo, String branch, String head) {}
