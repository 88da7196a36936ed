package io.gitcrq.execagent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Where each exec's log, wrapper scripts, exit status and (while it runs) raw recording are written. */
    String logDir();

    /** Where each exec's recording ({@code <execId>.cast}, asciicast v2) is written once the command ends. */
    String recordingsDir();

    /**
     * Secrets masked as {@code ***} in every log, recording and event of this agent: each entry is a literal
     * value, or {@code env:NAME} for the value of the agent's environment variable NAME (unset or empty: nothing).
     */
    Optional<List<String>> redact();

    /**
     * The host policy: regular expressions a command's program (its first word, as written) must match as a whole to
     * run here (unset: any program; see {@code HostPolicy}).
     */
    @WithName("policy.allowed-commands")
    Optional<List<String>> allowedCommands();

    /** The host policy: regular expressions none of which may match a command's program (or its file name). */
    @WithName("policy.denied-commands")
    Optional<List<String>> deniedCommands();

    /**
     * The host policy: the programs, named exactly as run ({@code bash}, {@code /usr/bin/python3}), that may run a
     * script here: shell lines ({@code bash -c}, where bash is listed), workflow steps' {@code shell:}, and any shell
     * or interpreter as a command (unset: none, on a host with a policy).
     */
    @WithName("policy.allowed-shells")
    Optional<List<String>> allowedShells();

    /**
     * The host policy: the directories a command may run in (its working directory, symbolic links resolved, is one of
     * them or inside one); besides them, always the agent's own places: the default directory, the worktrees and
     * workflow directories, the workflow roots and every project's repository (unset: any directory).
     */
    @WithName("policy.allowed-dirs")
    Optional<List<String>> allowedDirs();

    /** The host policy: the launch profiles that may run here (unset: every profile). */
    @WithName("policy.allowed-profiles")
    Optional<List<String>> allowedProfiles();

    /**
     * Where launch profiles are read from ({@code <name>.yaml}), besides the ones the agent ships; read at every
     * launch, so an edited profile needs no restart.
     */
    String profilesDir();

    /** Where launches check out a CRQ's branch: {@code <worktrees-dir>/<project>/<CRQ-n>}, a git worktree each. */
    String worktreesDir();

    /**
     * gitcrq's MCP server ({@code http(s)://…/mcp}) as tools on this host reach it: a launch of a profile with
     * {@code mcp} that brings a CRQ-scoped token gives its tool this server (unset: such a launch is refused).
     */
    Optional<URI> mcpUrl();

    /** Projects a launch may name, each the path of its git repository on this host ({@code projects.<name>=PATH}). */
    Map<String, String> projects();

    /**
     * The working directory of a command that names none, when its CRQ's repository is not a project of this host
     * (else the command runs in the CRQ's worktree, as a launch does).
     */
    String defaultCwd();

    /**
     * How long a request for a CRQ this agent has not seen created yet waits for its CrqCreated (CRQ events and
     * requests travel on different topics) before it is refused as naming an unknown CRQ.
     */
    @WithDefault("10s")
    Duration crqWait();

    /** How often running commands are checked for completion. */
    @WithDefault("100ms")
    Duration pollInterval();

    /** How long a command killed (timeout, cancellation) gets between SIGTERM and SIGKILL. */
    @WithDefault("2s")
    Duration killGrace();

    /**
     * Where workflow runs keep their files: {@code <runId>/} holds the engine's per-step scripts and command files,
     * and {@code <runId>/workspace}, the workspace of a run that names none.
     */
    String workflowDir();

    /**
     * More directories {@code POST /workflows {path}} may read a workflow file from (symbolic links followed), besides
     * the worktrees directory, the workflow directory and every project's repository.
     */
    Optional<List<String>> workflowRoots();

    /** How many job runs of one workflow run at the same time. */
    @WithDefault("2")
    int workflowParallelism();

    /** The audit sources started around execs. */
    Audit audit();

    /** Who may vouch for the requests arriving by Kafka. */
    Grant grant();

    /**
     * {@code gitcrq.exec.grant.*}: a request arriving by Kafka runs only with an exec grant signed by one of these keys
     * (crq-service's, see {@code io.gitcrq.model.exec.ExecGrant}).
     */
    interface Grant {
        /**
         * Files of the public keys (PEM) trusted to sign exec grants; several while a signing key is rotated (unset:
         * none, and every request arriving by Kafka is refused).
         */
        Optional<List<String>> trustedKeys();

        /** How far this host's clock may be off the signer's when a grant's validity is judged. */
        @WithDefault("30s")
        Duration clockSkew();
    }

    /** {@code gitcrq.exec.audit.*}: which audit sources an exec may choose, which it gets unasked, and their targets. */
    interface Audit {
        /** Kinds started around every exec whose request names none (unset: none). */
        Optional<List<String>> defaultSources();

        /** Kinds a request may choose on this host. */
        List<String> allowedSources();

        /**
         * What the {@code network} source captures: {@code command}, the packets of the connections the command's
         * own processes make or answer (singled out by a cgroup of its own and netfilter rules: needs cgroup v2 and
         * iptables); or {@code host}, every packet of {@code network.interface} and {@code network.ports}, whoever
         * sent it (the host's other traffic included).
         */
        @WithName("network.scope")
        @WithDefault("command")
        NetworkScope networkScope();

        /** The {@code network} source's capture interface, with {@code network.scope=host} (unset: tcpdump's {@code any}). */
        @WithName("network.interface")
        Optional<String> networkInterface();

        /**
         * The {@code network} source's ports of interest: with {@code network.scope=host} its capture filter (unset:
         * every packet); with either, they name the service side of a flow whose opening was not seen.
         */
        @WithName("network.ports")
        Optional<List<Integer>> networkPorts();

        /**
         * How the {@code process} source captures the command's execs and exits: {@code ebpf}, the kernel's own events
         * for the command's cgroup (gitcrq-proctrace; needs root, BTF, tracefs and cgroup v2), no process stopped;
         * {@code strace}, strace following the command (every exec and fork stops at the tracer); {@code auto}, eBPF
         * where this host allows it, else strace (the summary says which ran, and why not eBPF).
         */
        @WithName("process.mechanism")
        @WithDefault("auto")
        ProcessMechanism processMechanism();

        /** The named network namespace ({@code ip netns}) the {@code route} source watches (unset: the agent's). */
        @WithName("route.netns")
        Optional<String> routeNetns();

        /**
         * How long a command whose process tree is traced ({@code process}, {@code syscall}) waits for its tracer
         * before it runs untraced at first (the late attach is then noted in the source's summary); only where the
         * tracer attaches, which it does where this host's strace cannot trace the command from its start.
         */
        @WithDefault("10s")
        Duration attachTimeout();

        /** At most this many captured records are published in one transaction. */
        @WithDefault("256")
        int batchSize();
    }

    default Path logDirectory() {
        return Path.of(logDir());
    }

    default Path recordingsDirectory() {
        return Path.of(recordingsDir());
    }

    default Path profilesDirectory() {
        return Path.of(profilesDir());
    }

    default Path worktreesDirectory() {
        return Path.of(worktreesDir());
    }

    default Path workflowDirectory() {
        return Path.of(workflowDir());
    }

    /** {@code gitcrq.exec.audit.process.mechanism}. */
    enum ProcessMechanism {
        AUTO,
        EBPF,
        STRACE
    }

    /** {@code gitcrq.exec.audit.network.scope}. */
    enum NetworkScope {
        COMMAND,
        HOST
    }
}
