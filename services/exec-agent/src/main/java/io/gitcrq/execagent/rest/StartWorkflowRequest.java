package io.gitcrq.execagent.rest;

/**
 * Body of {@code POST /workflows}: the CRQ the run is for, and either the workflow's YAML text ({@code workflow},
 * with {@code source} naming it in messages, e.g. its file name) or the path of a workflow file on the agent's host
 * ({@code path}; relative to {@code workspace} when one is given). {@code session} is the tmux session the steps run
 * in (default {@code wf-<runId>}); {@code workspace} the existing directory they run in (default: a fresh directory
 * of the run's own).
 */
public record StartWorkflowRequest(String crq, String workflow, String path, String source, String session,
                                   String workspace) {
}
