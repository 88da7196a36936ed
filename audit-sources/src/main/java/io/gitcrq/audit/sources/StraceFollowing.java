package io.gitcrq.audit.sources;

import java.util.List;

/**
 * A tracing source ({@code process}, {@code syscall}) made to follow a strace it does not start: the managed command
 * is started under {@link #straceCommand()} by whoever runs it, keeping its own parent and terminal, and the source
 * reads what that strace writes. Started so (not attached with {@code -p}), strace can have the kernel filter the
 * traced calls ({@code --seccomp-bpf}), and the command's first exec is seen without it waiting for anyone. See
 * {@link AuditSources#following} and {@link AuditSources#followUnavailable}.
 */
public interface StraceFollowing extends AuditSource {

    /**
     * Once the source started: the words to put before the command's own ({@code strace -f --seccomp-bpf -q … -o
     * OUTPUT --}). strace passes the command's exit status on and ends with the command's process tree.
     */
    List<String> straceCommand();
}
