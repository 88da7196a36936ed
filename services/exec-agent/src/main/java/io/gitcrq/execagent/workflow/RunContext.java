package io.gitcrq.execagent.workflow;

/** Who and what a workflow run's steps run for: every step's exec carries these. */
record RunContext(String runId, String crqId, String session, String requestedBy) {}
