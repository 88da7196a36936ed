package io.gitcrq.model.audit;

import java.util.List;

/**
 * {@code process}, {@code event: exec}: a process of the traced tree ran a program ({@code path} with
 * {@code args}, cut short when {@code argsTruncated}), in {@code cwd}; {@code ppid} and {@code cwd} are null when
 * unknown.
 */
public record ProcessExec(
        String event, long pid, Long ppid, String path, List<String> args, boolean argsTruncated, String cwd)
        implements AuditPayload {

    public static final String KIND = "process";
    public static final String EVENT = "exec";

    public ProcessExec {
        if (!EVENT.equals(event)) {
            throw new IllegalArgumentException("event must be " + EVENT);
        }
        args = args == null ? null : List.copyOf(args);
    }

    public ProcessExec(long pid, Long ppid, String path, List<String> args, boolean argsTruncated, String cwd) {
        this(EVENT, pid, ppid, path, args, argsTruncated, cwd);
    }

    @Override
    public String kind() {
        return KIND;
    }
}
