package io.gitcrq.execagent.domain;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The audit sources chosen for one exec ({@link io.gitcrq.execagent.audit.AuditPlan} checks a choice): their kinds, in the order they start,
 * and the directories the {@code file} source watches besides the exec's working directory.
 */
public record AuditSelection(List<String> kinds, List<Path> paths) {

    /**
     * Kinds that trace the command's own processes: the command runs under their strace, or, where strace cannot
     * trace it from its start, they attach once its pid is known, before it runs on.
     */
    public static final Set<String> TRACING = Set.of("process", "syscall");

    public static final AuditSelection NONE = new AuditSelection(List.of(), List.of());

    public AuditSelection {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    public boolean isEmpty() {
        return kinds.isEmpty();
    }

    /** Whether a source traces the command's processes. */
    public boolean traces() {
        return kinds.stream().anyMatch(TRACING::contains);
    }
}
