package io.gitcrq.mcp.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code exec_run} answers: the exec's id, its status and exit code (null while it runs or when it never ran),
 * whether the wait ended before the command did, the last lines of what it printed (from its recording, secrets
 * masked by exec-agent; null when there is none), and exec-agent's whole view of it.
 */
public record ExecRun(
        String execId, String status, Integer exitCode, boolean timedOut, String outputTail, JsonNode exec) {}
