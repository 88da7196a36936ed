package io.gitcrq.model.api.exec;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /launches}: the profile and the CRQ, and parameters that override the profile's (each may be
 * missing): the project, the branch, the tmux session and pane, the arguments (replacing the profile's), extra
 * environment variables, where the recording and the logs go, the audit sources (replacing the profile's).
 * {@code mcpToken}: a token for gitcrq's MCP server scoped to this CRQ (mcp-server's {@code POST /crq-tokens}), which
 * a profile that registers MCP servers for its tool ({@code mcp}) hands to the tool; {@code toString} never shows it.
 */
public record StartLaunchRequest(
        String profile,
        String crqId,
        String project,
        String branch,
        String session,
        String pane,
        List<String> args,
        Map<String, String> env,
        String recordings,
        String logs,
        List<String> audit,
        String mcpToken) {

    @Override
    public String toString() {
        return "StartLaunchRequest[" + profile + " " + crqId + (mcpToken == null ? "" : " with an MCP token") + "]";
    }
}
