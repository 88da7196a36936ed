package io.gitcrq.audit.sources;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process's end as libbpf-tools' {@code exitsnoop} prints it (without {@code -t}):
 * {@code %-16s %-7d %-7d %-7d %-7.2f } (comm, pid, ppid, tid, age in seconds), then {@code 0}, {@code code N} or
 * {@code signal N (description)[, core dumped]}. Read as ISO-8859-1, as {@link ExecsnoopLine}.
 */
record ExitsnoopLine(long pid, long ppid, String comm, Integer exitCode, String signal) {

    private static final int COMM_WIDTH = 17;

    private static final Pattern FIELDS = Pattern.compile(
            "^ *(\\d+) +(\\d+) +(\\d+) +[0-9.]+ +(?:(0)|code (\\d+)|signal (\\d+) \\(.*\\)(?:, core dumped)?) *$");

    static boolean isHeader(String line) {
        return line.startsWith("PCOMM ") && line.contains("EXIT_CODE");
    }

    static Optional<ExitsnoopLine> parse(String line) {
        if (line.length() <= COMM_WIDTH || line.charAt(COMM_WIDTH - 1) != ' ') {
            return Optional.empty();
        }
        Matcher m = FIELDS.matcher(line.substring(COMM_WIDTH));
        if (!m.matches()) {
            return Optional.empty();
        }
        Integer code =
                m.group(4) != null ? Integer.valueOf(0) : m.group(5) != null ? Integer.valueOf(m.group(5)) : null;
        String signal = m.group(6) != null ? Signals.name(Integer.parseInt(m.group(6))) : null;
        return Optional.of(new ExitsnoopLine(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                line.substring(0, COMM_WIDTH).strip(),
                code,
                signal));
    }

    /** Linux's signal names by number (x86, arm and most others), as strace writes them. */
    static final class Signals {

        private static final String[] NAMES = {
            null,
            "SIGHUP",
            "SIGINT",
            "SIGQUIT",
            "SIGILL",
            "SIGTRAP",
            "SIGABRT",
            "SIGBUS",
            "SIGFPE",
            "SIGKILL",
            "SIGUSR1",
            "SIGSEGV",
            "SIGUSR2",
            "SIGPIPE",
            "SIGALRM",
            "SIGTERM",
            "SIGSTKFLT",
            "SIGCHLD",
            "SIGCONT",
            "SIGSTOP",
            "SIGTSTP",
            "SIGTTIN",
            "SIGTTOU",
            "SIGURG",
            "SIGXCPU",
            "SIGXFSZ",
            "SIGVTALRM",
            "SIGPROF",
            "SIGWINCH",
            "SIGIO",
            "SIGPWR",
            "SIGSYS"
        };

        private Signals() {}

        static String name(int number) {
            if (number > 0 && number < NAMES.length) {
                return NAMES[number];
            }
            return number >= 34 && number <= 64 ? "SIGRT_" + (number - 34) : "SIG" + number;
        }
    }
}
