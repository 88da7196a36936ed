package io.gitcrq.model.api.exec;

/**
 * Body of {@code POST /workflows}: the CRQ the run is for, and one of
 * <ul>
 *   <li>the workflow's YAML text ({@code workflow}, with {@code source} naming it in messages, e.g. its file name);</li>
 *   <li>the path of a workflow file on the agent's host ({@code path}; relative to {@code workspace} when one is
 *       given);</li>
 *   <li>a workflow file committed in a Git repository on the agent's host: {@code repo} (absolute path of a work tree
 *       or bare repository), {@code ref} (default {@code HEAD}) and {@code file} (its path in the repository), read
 *       from the commit {@code ref} names when the run starts.</li>
 * </ul>
 * {@code session} is the tmux session the steps run in (default {@code wf-<runId>}); {@code workspace} the existing
 * directory they run in (default: {@code repo}'s work tree, else a fresh directory of the run's own).
 */
public record StartWorkflowRequest(
        String crq,
        String workflow,
        String path,
        String source,
        String session,
        String workspace,
        String repo,
        String ref,
        String file) {}
