package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What this host lets run at all, whoever asks: {@code gitcrq.exec.policy.allowed-commands} (a command line must
 * match one as a whole; unset: any) and {@code gitcrq.exec.policy.denied-commands} (none may occur in it). Both
 * are regular expressions; a bad one stops the agent at start rather than letting everything through.
 */
@ApplicationScoped
public class HostPolicy {

    private final List<Pattern> allowed;
    private final List<Pattern> denied;

    @Inject
    public HostPolicy(ExecAgentConfig config) {
        this(config.allowedCommands().orElse(null), config.deniedCommands().orElse(List.of()));
    }

    HostPolicy(List<String> allowed, List<String> denied) {
        this.allowed = allowed == null ? null : compile("allowed-commands", allowed);
        this.denied = compile("denied-commands", denied);
    }

    /** Why the command may not run on this host, if it may not. */
    public Optional<String> refusal(String command) {
        String line = command == null ? "" : command;
        for (Pattern pattern : denied) {
            if (pattern.matcher(line).find()) {
                return Optional.of("this host's policy denies commands matching '" + pattern.pattern() + "'");
            }
        }
        if (allowed != null && allowed.stream().noneMatch(p -> p.matcher(line).matches())) {
            return Optional.of("this host's policy allows only commands matching "
                    + allowed.stream().map(p -> "'" + p.pattern() + "'").toList());
        }
        return Optional.empty();
    }

    private static List<Pattern> compile(String key, List<String> expressions) {
        try {
            return expressions.stream()
                    .filter(e -> !e.isBlank())
                    .map(Pattern::compile)
                    .toList();
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(
                    "gitcrq.exec.policy." + key + " holds a bad regular expression: " + e.getMessage(), e);
        }
    }
}
