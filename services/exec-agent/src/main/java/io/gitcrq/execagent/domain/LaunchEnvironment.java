package io.gitcrq.execagent.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Environment variables a launch may not set unless its profile allows them by name ({@code allowed-env}): those that
 * change which program runs or make a program run code before the one the policy decided on — the shell's start-up
 * files and hooks ({@code BASH_ENV}, {@code ENV}, {@code PROMPT_COMMAND}, {@code PS4}…), the dynamic loader's
 * ({@code LD_*}), the program search path, interpreters' start-up options, and git's hooks into programs
 * ({@code GIT_SSH_COMMAND}, {@code GIT_CONFIG_*}…). A name that is not a plain identifier ({@code BASH_FUNC_x%%}, an
 * exported function) is refused too.
 */
public final class LaunchEnvironment {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> RISKY = Set.of(
            "BASH_ENV",
            "ENV",
            "PATH",
            "CDPATH",
            "PROMPT_COMMAND",
            "SHELLOPTS",
            "BASHOPTS",
            "PS0",
            "PS1",
            "PS2",
            "PS3",
            "PS4",
            "IFS",
            "GLOBIGNORE",
            "BASH_XTRACEFD",
            "HISTFILE",
            "INPUTRC",
            "ZDOTDIR",
            "GCONV_PATH",
            "LOCPATH",
            "NLSPATH",
            "HOSTALIASES",
            "RESOLV_HOST_CONF",
            "TMPDIR",
            "SHELL",
            "EDITOR",
            "VISUAL",
            "PAGER",
            "MANPAGER",
            "BROWSER",
            "PYTHONSTARTUP",
            "PYTHONPATH",
            "PYTHONHOME",
            "PYTHONINSPECT",
            "PERL5OPT",
            "PERL5LIB",
            "PERLLIB",
            "PERL5DB",
            "RUBYOPT",
            "RUBYLIB",
            "NODE_OPTIONS",
            "NODE_PATH",
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "CLASSPATH",
            "MAVEN_OPTS",
            "GIT_SSH",
            "GIT_SSH_COMMAND",
            "GIT_EXEC_PATH",
            "GIT_PAGER",
            "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR",
            "GIT_ASKPASS",
            "SSH_ASKPASS",
            "GIT_EXTERNAL_DIFF",
            "GIT_PROXY_COMMAND",
            "GIT_DIR",
            "GIT_COMMON_DIR",
            "GIT_WORK_TREE",
            "GIT_TEMPLATE_DIR",
            "GIT_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_NOSYSTEM");

    /** Prefixes of whole families: the dynamic loader's, git's extra configuration, exported bash functions. */
    private static final List<String> RISKY_PREFIXES = List.of("LD_", "GIT_CONFIG_", "BASH_FUNC_", "DYLD_");

    private LaunchEnvironment() {}

    /** Whether setting {@code name} could change what runs. */
    public static boolean isRisky(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            return true;
        }
        return RISKY.contains(name) || RISKY_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** Why a launch of {@code profile} may not set these variables, if it may not. */
    public static Optional<String> refusal(Collection<String> names, Collection<String> allowed, String profile) {
        Set<String> refused = new TreeSet<>();
        for (String name : names) {
            if (isRisky(name) && (allowed == null || !allowed.contains(name))) {
                refused.add(name);
            }
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("a launch may not set " + String.join(", ", refused) + ": such a variable changes what"
                + " runs, and launch profile " + profile + " does not allow it (allowed-env)");
    }
}
