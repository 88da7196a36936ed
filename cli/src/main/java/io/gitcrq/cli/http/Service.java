package io.gitcrq.cli.http;

import io.gitcrq.cli.process.CliEnvironment;

/** The platform services the CLI talks to, and where each is found unless configured otherwise. */
public enum Service {
    CRQ("crq-service", "GITCRQ_CRQ_URL", "gitcrq.crq-url", "http://127.0.0.1:8081"),
    GIT_WATCHER("git-watcher", "GITCRQ_GIT_WATCHER_URL", "gitcrq.git-watcher-url", "http://127.0.0.1:8082"),
    MERGE_BOT("merge-bot", "GITCRQ_MERGE_BOT_URL", "gitcrq.merge-bot-url", "http://127.0.0.1:8083"),
    AUDIT("audit-collector", "GITCRQ_AUDIT_URL", "gitcrq.audit-url", "http://127.0.0.1:8084"),
    EXEC_AGENT("exec-agent", "GITCRQ_EXEC_AGENT_URL", "gitcrq.exec-agent-url", "http://127.0.0.1:8085"),
    MCP_SERVER("mcp-server", "GITCRQ_MCP_SERVER_URL", "gitcrq.mcp-server-url", "http://127.0.0.1:8087");

    private final String displayName;
    private final String envVariable;
    private final String systemProperty;
    private final String defaultUrl;

    Service(String displayName, String envVariable, String systemProperty, String defaultUrl) {
        this.displayName = displayName;
        this.envVariable = envVariable;
        this.systemProperty = systemProperty;
        this.defaultUrl = defaultUrl;
    }

    public String displayName() {
        return displayName;
    }

    public String envVariable() {
        return envVariable;
    }

    public String systemProperty() {
        return systemProperty;
    }

    /** The base URL: system property, else environment variable, else the local default; no trailing '/'. */
    public String baseUrl(CliEnvironment environment) {
        String url = environment.systemProperties().apply(systemProperty);
        if (url == null || url.isBlank()) {
            url = environment.variable(envVariable);
        }
        if (url == null || url.isBlank()) {
            url = defaultUrl;
        }
        url = url.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }
}
