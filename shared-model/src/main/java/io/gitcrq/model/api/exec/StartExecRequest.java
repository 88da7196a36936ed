package io.gitcrq.model.api.exec;

import java.util.List;

/**
 * Body of {@code POST /execs}; checked by {@code ExecOrder} (and the audit sources by {@code AuditPlan}), like
 * requests arriving by Kafka. {@code audit}: the audit sources to start around the command (absent: the host's
 * defaults; empty: none); {@code auditPaths}: directories the {@code file} source watches besides {@code cwd}.
 */
public record StartExecRequest(
        String session,
        String pane,
        String command,
        String crqId,
        String branch,
        String cwd,
        List<String> audit,
        List<String> auditPaths) {}
