package io.gitcrq.cli.daemon;

import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.cli.resident.DaemonRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one command line of a {@link DaemonRequest} in the resident CLI, as the CLI's own JVM would run it: the same
 * {@link GitcrqCli}, given the caller's working directory, environment and output instead of the daemon's. Only
 * commands that do nothing but talk to the services and print are served; a command that would need the terminal
 * (a password prompt), standard input, or runs local programs (git hooks, launches) is left to a JVM of its own
 * ({@link FallbackRequired}).
 */
final class DaemonCall {

    /** The subcommands served: each talks to the services and prints, nothing else. */
    static final Set<String> SERVED =
            Set.of("crq", "branch", "repo", "exec", "audit", "merges", "merge-settings", "check", "workflow");

    /** Thrown where the command needs what only a process of its own has; nothing was sent or printed yet. */
    static final class FallbackRequired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FallbackRequired(String message) {
            super(message, null, false, false);
        }
    }

    private DaemonCall() {}

    /** Why {@code args} is not served here, if it is not. */
    static Optional<String> notServed(List<String> args) {
        String[] words = args.toArray(String[]::new);
        int at = GitcrqCli.subcommandAt(words);
        if (at < 0) {
            return Optional.of("help, version and options before a command run in a JVM of their own");
        }
        String named = words[at];
        if (!SERVED.contains(named)) {
            return Optional.of("'" + named + "' runs in a JVM of its own");
        }
        if (args.contains("--help") || args.contains("-h") || args.contains("--version") || args.contains("-V")) {
            return Optional.of("help and version run in a JVM of their own");
        }
        // A waiting scan redraws its progress bar on stderr, which the daemon can only send back at the end.
        String[] afterGroup = Arrays.copyOfRange(words, at + 1, words.length);
        if (named.equals("repo")
                && "scan".equals(GitcrqCli.subcommandNamed(afterGroup))
                && !args.contains("--no-wait")) {
            return Optional.of("a scan's progress bar needs the terminal");
        }
        return Optional.empty();
    }

    /**
     * Runs the request, its standard output to {@code stdout} and its standard error to {@code stderr}; returns the
     * exit code. Throws {@link FallbackRequired} before any output when the command needs the terminal or its input.
     */
    static int run(DaemonRequest request, OutputStream stdout, OutputStream stderr) {
        // Thrown inside a command, picocli reports it as a failure of the command: kept here to fall back instead.
        AtomicReference<FallbackRequired> fallback = new AtomicReference<>();
        Charset charset = charsetOf(request);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, charset), true);
        CliEnvironment environment = new CliEnvironment(
                out,
                err,
                request.env(),
                // Service URLs come from the caller's environment: the daemon's own system properties are not theirs.
                name -> name.startsWith("gitcrq.") ? null : System.getProperty(name),
                prompt -> {
                    throw fallback(fallback, "a password prompt needs the terminal");
                },
                request.workingDirectory(),
                Duration.ofMillis(200),
                new InputStream() {
                    @Override
                    public int read() {
                        throw fallback(fallback, "the command reads its standard input");
                    }
                });
        int exitCode;
        try {
            exitCode = new GitcrqCli(environment).execute(request.args().toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
        if (fallback.get() != null) {
            throw fallback.get();
        }
        return exitCode;
    }

    private static FallbackRequired fallback(AtomicReference<FallbackRequired> holder, String why) {
        FallbackRequired fallback = new FallbackRequired(why);
        holder.compareAndSet(null, fallback);
        return fallback;
    }

    /**
     * The charset the CLI's own JVM (Java 17) would write with in the caller's locale: {@code LC_ALL}, else
     * {@code LC_CTYPE}, else {@code LANG}; UTF-8 where its codeset says so, ASCII in the C locale or none.
     */
    static Charset charsetOf(DaemonRequest request) {
        String locale = null;
        for (String name : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            String value = request.env().get(name);
            if (value != null && !value.isEmpty()) {
                locale = value;
                break;
            }
        }
        if (locale == null || locale.equals("C") || locale.equals("POSIX")) {
            return StandardCharsets.US_ASCII;
        }
        int dot = locale.indexOf('.');
        if (dot < 0) {
            return StandardCharsets.ISO_8859_1; // glibc's default codeset of a locale named without one
        }
        String codeset = locale.substring(dot + 1).replaceFirst("@.*", "");
        String normalized = codeset.toLowerCase(Locale.ROOT).replace("-", "");
        if (normalized.equals("utf8")) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(codeset);
        } catch (IllegalArgumentException e) { // an unknown or malformed codeset
            return StandardCharsets.US_ASCII;
        }
    }

    /** Standard error as the command writes it, up to {@link DaemonExchange#MAX_STDERR_BYTES}, then a note. */
    static final class CappedStderr extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long dropped;

        @Override
        public void write(int b) {
            if (bytes.size() < DaemonExchange.MAX_STDERR_BYTES) {
                bytes.write(b);
            } else {
                dropped++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int kept = Math.min(len, DaemonExchange.MAX_STDERR_BYTES - bytes.size());
            bytes.write(b, off, Math.max(kept, 0));
            dropped += len - Math.max(kept, 0);
        }

        byte[] toByteArray() {
            if (dropped == 0) {
                return bytes.toByteArray();
            }
            String note =
                    "\n(" + dropped + " more bytes of standard error; GITCRQ_CLI_DAEMON=0 ./gitcrq … shows all)\n";
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(bytes.toByteArray());
            all.writeBytes(note.getBytes(StandardCharsets.US_ASCII));
            return all.toByteArray();
        }
    }
}
