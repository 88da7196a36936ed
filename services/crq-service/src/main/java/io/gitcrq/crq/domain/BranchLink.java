package io.gitcrq.crq.domain;

/** A branch that names a CRQ. */
public record BranchLink(String repo, String branch) {}
