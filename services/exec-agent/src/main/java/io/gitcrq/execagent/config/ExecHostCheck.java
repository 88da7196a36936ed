package io.gitcrq.execagent.config;

import io.gitcrq.model.event.TopicAccess;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Refuses to start with a host name that cannot name this agent's Kafka principal and consumer groups
 * ({@link TopicAccess#requireExecHost}): better a clear message now than a sign-in the broker refuses, or groups that
 * are another host's.
 */
@Startup
@Singleton
public class ExecHostCheck {

    @Inject
    ExecAgentConfig config;

    @PostConstruct
    void check() {
        TopicAccess.requireExecHost(config.host());
    }
}
