package io.gitcrq.mcp.client;

/** The services whose REST APIs the tools call, by the names their base URLs are configured under. */
public enum OwningService {
    CRQ_SERVICE("crq-service"),
    GIT_WATCHER("git-watcher"),
    MERGE_BOT("merge-bot"),
    AUDIT_COLLECTOR("audit-collector"),
    EXEC_AGENT("exec-agent");

    private final String serviceName;

    OwningService(String serviceName) {
        this.serviceName = serviceName;
    }

    /** Its name: {@code gitcrq.mcp.services."<name>".url}. */
    public String serviceName() {
        return serviceName;
    }
}
