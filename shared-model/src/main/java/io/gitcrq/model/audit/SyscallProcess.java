package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code syscall}: one process of the traced tree, summarised when the source stops: its program ({@code path},
 * {@code args}, null when no exec was seen), how it ended ({@code exitCode} or {@code signal}, absent while it
 * ran), calls made and failed by name, distinct paths it named and connections it made (each list bounded, the
 * rest counted as omitted).
 */
public record SyscallProcess(
        long pid,
        Long ppid,
        String path,
        List<String> args,
        @JsonInclude(Include.NON_NULL) Integer exitCode,
        @JsonInclude(Include.NON_NULL) String signal,
        Map<String, Long> syscalls,
        Map<String, Long> failed,
        List<String> paths,
        long pathsOmitted,
        List<Connect> connects,
        long connectsOmitted)
        implements AuditPayload {

    public static final String KIND = "syscall";

    /**
     * A connect, sendto or sendmsg naming an address: {@code family} AF_INET, AF_INET6 or AF_UNIX, with
     * {@code address} and {@code port} or a socket {@code path} ({@code @} first for the abstract namespace), and
     * its {@code result}: the return value or the errno name.
     */
    public record Connect(
            String syscall,
            String family,
            @JsonInclude(Include.NON_NULL) String address,
            @JsonInclude(Include.NON_NULL) Integer port,
            @JsonInclude(Include.NON_NULL) String path,
            String result) {}

    @Override
    public String kind() {
        return KIND;
    }
}
