package io.gitcrq.model.api.exec;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /launches}: the profile and the CRQ, and parameters that override the profile's (each may be
 * missing): the project, the branch, the tmux session and pane, the arguments (replacing the profile's), extra
 * environment variables, where the recording and the logs go, the audit sources (replacing the profile's).
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
        List<String> audit) {}
