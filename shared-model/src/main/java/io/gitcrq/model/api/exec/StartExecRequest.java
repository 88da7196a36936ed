package io.gitcrq.model.api.exec;

import java.util.List;

/**
 * Body of {@code POST /execs}; checked by {@code ExecOrder} (and the audit sources by {@code AuditPlan}), like
 * requests arriving by Kafka. {@code audit}: the audit sources to start around the command (absent: the host's
 * defaults; empty: none); {@code auditPaths}: directories the {@code file} source watches besides {@code cwd};
 * {@code cwd} absent: the CRQ's worktree where its repository is a project of the agent's host, else the host's
 * default directory; {@code keepPane}: keep the command's tmux window open (a shell in it) once the command ended
 * (absent or false: it is closed as soon as the end is recorded).
 */
public record StartExecRequest(
        String session,
        String pane,
        String command,
        String crqId,
        String branch,
        String cwd,
        List<String> audit,
        List<String> auditPaths,
        Boolean keepPane) {}
