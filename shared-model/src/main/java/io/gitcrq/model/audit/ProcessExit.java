package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * {@code process}, {@code event: exit}: a process of the traced tree ended, with {@code exitCode} or killed by
 * {@code signal} (exactly one of them); {@code path} and {@code args} of its last exec, null when none was seen.
 */
public record ProcessExit(
        String event,
        long pid,
        Long ppid,
        @JsonInclude(Include.NON_NULL) Integer exitCode,
        @JsonInclude(Include.NON_NULL) String signal,
        String path,
        List<String> args)
        implements AuditPayload {

    public static final String EVENT = "exit";

    public ProcessExit {
        if (!EVENT.equals(event)) {
            throw new IllegalArgumentException("event must be " + EVENT);
        }
        args = args == null ? null : List.copyOf(args);
    }

    public ProcessExit(long pid, Long ppid, Integer exitCode, String signal, String path, List<String> args) {
        this(EVENT, pid, ppid, exitCode, signal, path, args);
    }

    @Override
    public String kind() {
        return ProcessExec.KIND;
    }
}
