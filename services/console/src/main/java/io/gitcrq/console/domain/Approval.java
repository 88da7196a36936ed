package io.gitcrq.console.domain;

import java.time.Instant;

/** One approval of a CRQ, for the commit it named (null: an approval from before approvals named one). */
public record Approval(String approver, String headCommit, Instant approvedAt) {}
