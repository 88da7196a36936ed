package io.gitcrq.execagent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** What this agent is and where it works; defaults in application.properties. */
@ConfigMapping(prefix = "gitcrq.exec")
public interface ExecAgentConfig {
    /** The host name requests address this agent by (default: the machine's). */
    String host();

    /** Roles that may have commands run; a user needs one of them. */
    Set<String> allowedRoles();

    /** Name of the tmux server socket ({@code tmux -L <name>}) this agent uses, apart from the user's own. */
    String tmuxSocket();

    /** Where each exec's log, wrapper script and exit status are written. */
    String logDir();

    /** The working directory of a command that names none. */
    String defaultCwd();

    /** How often running commands are checked for completion. */
    @WithDefault("100ms")
    Duration pollInterval();

    default Path logDirectory() {
        return Path.of(logDir());
    }
}
