package io.gitcrq.console.service;

import io.gitcrq.console.client.ExecAgentClient;
import io.gitcrq.console.config.ConsoleConfig;
import io.gitcrq.console.domain.Exec;
import io.gitcrq.kit.error.EntityNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An exec's recording, read from the exec-agent of its host ({@code gitcrq.console.exec-agents."<host>".url}) as the
 * person who asks: recordings stay on their hosts, and exec-agent decides who may read them. Not in a transaction: the
 * exec is looked up first ({@link Console}), and no database connection waits on the host's answer.
 */
@ApplicationScoped
public class ExecRecordings {

    private final Console console;
    private final ConsoleConfig config;
    private final ExecAgentClient agents;

    public ExecRecordings(Console console, ConsoleConfig config, ExecAgentClient agents) {
        this.console = console;
        this.config = config;
        this.agents = agents;
    }

    /** Whether the console knows where {@code host}'s exec-agent is, so its recordings can be played here. */
    public boolean readable(String host) {
        return host != null && config.execAgents().containsKey(host);
    }

    /** The asciicast of {@code execId}, read with the caller's {@code authorization} (forwarded as it came). */
    public String recording(String execId, String authorization) {
        Exec exec = console.exec(execId);
        ConsoleConfig.ExecAgent agent = config.execAgents().get(exec.host());
        if (agent == null) {
            throw new EntityNotFoundException("the console reads no recordings of host " + exec.host()
                    + ": gitcrq.console.exec-agents.\"" + exec.host() + "\".url is not set");
        }
        return agents.recording(exec.host(), agent.url(), exec.execId(), authorization);
    }
}
