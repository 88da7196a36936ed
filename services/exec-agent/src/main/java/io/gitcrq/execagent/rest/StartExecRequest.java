package io.gitcrq.execagent.rest;

/** Body of {@code POST /execs}; checked by {@code ExecOrder}, like requests arriving by Kafka. */
public record StartExecRequest(String session, String pane, String command, String crqId, String branch, String cwd) {
}
