package io.gitcrq.execagent.audit;

/** What every audit event of one exec names: the exec, its host and CRQ, and its log. */
public record AuditContext(String execId, String host, String crqId, String logPath) {}
