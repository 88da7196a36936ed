package io.gitcrq.execagent.audit;

import io.gitcrq.audit.sources.AuditSources;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.EbpfProcessSource;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.AuditSelection;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's rules on audit sources ({@code gitcrq.exec.audit.*}): which kinds a request may choose, which an exec
 * gets when it names none, and what each source watches. The one place a choice of sources is checked, whether it
 * came by REST or by Kafka.
 */
@ApplicationScoped
public class AuditPlan {

    /** Directories the file source may watch besides the working directory, per exec. */
    public static final int MAX_PATHS = 16;

    private static final String ONE_TRACER = "audit sources process and syscall cannot both watch one command: a"
            + " process can have one tracer (strace) only; choose syscall, whose per-process summaries carry exec"
            + " args and exit codes too";

    private final ExecAgentConfig.Audit config;
    private final Set<String> allowed;

    public AuditPlan(ExecAgentConfig config) {
        this.config = config.audit();
        this.allowed = new LinkedHashSet<>(this.config.allowedSources());
    }

    /** A configuration naming a source that cannot be chosen keeps the agent from starting, saying so. */
    void onStart(@Observes StartupEvent event) {
        List<String> unknown =
                allowed.stream().filter(k -> !AuditSources.KINDS.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("gitcrq.exec.audit.allowed-sources names unknown kinds " + unknown
                    + " (known: " + String.join(", ", AuditSources.KINDS) + ")");
        }
        try {
            defaults();
        } catch (DomainException e) {
            throw new IllegalStateException("gitcrq.exec.audit.default-sources: " + e.getMessage());
        }
    }

    /** The sources of an exec whose request named none. */
    public AuditSelection defaults() {
        return select(config.defaultSources().orElse(List.of()), null);
    }

    /** {@code chosen}, or the host's defaults when it is null (a workflow step chooses none). */
    public AuditSelection orDefaults(AuditSelection chosen) {
        return chosen != null ? chosen : defaults();
    }

    /**
     * Checks a request's choice: {@code kinds} null means the host's defaults; {@code paths} are more directories for
     * the {@code file} source. Every problem is named in one 400 problem.
     */
    public AuditSelection select(List<String> kinds, List<String> paths) {
        if (kinds == null) {
            kinds = config.defaultSources().orElse(List.of());
        }
        List<String> problems = new ArrayList<>();
        Set<String> chosen = new LinkedHashSet<>();
        for (String kind : kinds) {
            if (kind == null || !AuditSources.KINDS.contains(kind)) {
                problems.add(
                        "unknown audit source '" + kind + "' (known: " + String.join(", ", AuditSources.KINDS) + ")");
            } else if (!allowed.contains(kind)) {
                problems.add("audit source '" + kind + "' is not allowed on this host (allowed: "
                        + String.join(", ", allowed) + ")");
            } else {
                chosen.add(kind);
            }
        }
        if (chosen.containsAll(AuditSelection.TRACING)) {
            problems.add(ONE_TRACER);
        }
        List<Path> directories = directories(paths == null ? List.of() : paths, problems);
        if (!directories.isEmpty() && !chosen.contains("file")) {
            problems.add("auditPaths are watched by audit source file, which is not chosen");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return new AuditSelection(List.copyOf(chosen), directories);
    }

    private static List<Path> directories(List<String> paths, List<String> problems) {
        if (paths.size() > MAX_PATHS) {
            problems.add("auditPaths may name at most " + MAX_PATHS + " directories");
            return List.of();
        }
        Set<Path> directories = new LinkedHashSet<>();
        for (String p : paths) {
            Path path;
            try {
                path = p == null ? null : Path.of(p);
            } catch (RuntimeException e) {
                path = null;
            }
            if (path == null || !path.isAbsolute()) {
                problems.add("auditPaths must be absolute paths, not '" + p + "'");
            } else if (!Files.isDirectory(path)) {
                problems.add("auditPaths: " + p + " is not an existing directory");
            } else {
                directories.add(path.normalize());
            }
        }
        return List.copyOf(directories);
    }

    /**
     * How this exec's {@code process} source is to capture: with eBPF (in the command's own cgroup), or with strace and,
     * where the host would have taken eBPF but cannot, why not.
     */
    public ProcessCapture processCapture() {
        return switch (config.processMechanism()) {
            case EBPF -> ProcessCapture.EBPF_ONLY;
            case STRACE -> ProcessCapture.STRACE;
            case AUTO ->
                EbpfProcessSource.unavailable()
                        .map(ProcessCapture::straceSince)
                        .orElse(ProcessCapture.EBPF_ELSE_STRACE);
        };
    }

    /** Whether the {@code network} source captures the command's own connections (in a cgroup of its own). */
    public boolean networkScopedToCommand() {
        return config.networkScope() == ExecAgentConfig.NetworkScope.COMMAND;
    }

    /**
     * What a source of {@code kind} watches for an exec running in {@code cwd}: the file source that directory and the
     * chosen ones; network and route what the host configured. Tracing sources get their pid when it is known.
     */
    public AuditTarget target(String kind, Path cwd, AuditSelection selection) {
        return switch (kind) {
            case "file" -> {
                Set<Path> directories = new LinkedHashSet<>();
                directories.add(cwd);
                directories.addAll(selection.paths());
                yield AuditTarget.none().withDirectories(List.copyOf(directories));
            }
            case "network" ->
                new AuditTarget(
                        null,
                        List.of(),
                        config.networkPorts().orElse(List.of()),
                        config.networkInterface().orElse(null),
                        null,
                        null);
            case "route" -> AuditTarget.none().withNetns(config.routeNetns().orElse(null));
            default -> AuditTarget.none();
        };
    }
}
