package io.gitcrq.audit.sources;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of gitcrq-proctrace's (src/main/native/proctrace.c, which documents the format): {@code ready}, an exec, an
 * exit or the count of records lost so far. Fields are separated by one space; a path or argument holds no space
 * or control character (each byte outside {@code !..~}, a backslash and a double quote come as {@code \xHH}, an empty
 * field as {@code ""}), so every byte comes back and is decoded as UTF-8.
 */
sealed interface ProctraceLine {

    /** The programs are attached: every exec and exit from now on is reported. */
    record Ready() implements ProctraceLine {}

    /** A successful exec: the path the process asked for and its whole argument vector ({@code argv[0]} too). */
    record Exec(long pid, long ppid, String path, List<String> args, boolean argsTruncated) implements ProctraceLine {}

    /** A process ended: its exit code, or the signal that ended it. */
    record Exit(long pid, long ppid, Integer exitCode, String signal) implements ProctraceLine {}

    /** Records the kernel side had no room for, in all since the start. */
    record Lost(long total) implements ProctraceLine {}

    /** The line as what it says, or empty when it is not one of gitcrq-proctrace's. */
    static Optional<ProctraceLine> parse(String line) {
        String[] f = line.split(" ", -1);
        try {
            return switch (f[0]) {
                case "ready" -> f.length == 1 ? Optional.of(new Ready()) : Optional.empty();
                case "lost" -> f.length == 2 ? Optional.of(new Lost(Long.parseLong(f[1]))) : Optional.empty();
                case "exit" -> f.length == 4 ? Optional.of(exit(f)) : Optional.empty();
                case "exec" -> f.length >= 5 ? exec(f) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) { // a number or escape that is not one
            return Optional.empty();
        }
    }

    private static Exit exit(String[] f) {
        int status = Integer.parseInt(f[3]);
        int signal = status & 0x7f;
        return new Exit(
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                signal == 0 ? status >> 8 & 0xff : null,
                signal == 0 ? null : Signals.name(signal));
    }

    private static Optional<ProctraceLine> exec(String[] f) {
        boolean cut = switch (f[3]) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("CUT is 0 or 1");
        };
        List<String> args = new ArrayList<>(f.length - 5);
        for (int i = 5; i < f.length; i++) {
            args.add(field(f[i]));
        }
        return Optional.of(new Exec(Long.parseLong(f[1]), Long.parseLong(f[2]), field(f[4]), args, cut));
    }

    private static String field(String text) {
        if (text.equals("\"\"")) {
            return "";
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty field is written \"\"");
        }
        return HexEscapes.decode(text, c -> c > ' ' && c < 0x7f && c != '"');
    }
}
