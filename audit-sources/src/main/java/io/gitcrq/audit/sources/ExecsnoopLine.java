package io.gitcrq.audit.sources;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One exec as libbpf-tools' {@code execsnoop -q} prints it (without {@code -t}, {@code -T}, {@code -U}):
 * {@code %-16s %-6d %-6d %3d } (comm, pid, ppid, return value), then the path the process asked the kernel to run and
 * its arguments from the second on, each in double quotes followed by a space. Inside an argument execsnoop writes a
 * {@code "} as {@code \"}, a line feed as {@code \n} and a tab as {@code \t}, and nothing else escaped (a backslash
 * neither): so one exec is one line, and its text is kept as execsnoop wrote it but for the quotes. The kernel side
 * keeps 127 bytes of an argument and the first {@code --max-args}; more arguments end the line with {@code " ...}.
 *
 * <p>Lines are read as ISO-8859-1 so that a column is a byte, as execsnoop pads them; arguments are decoded as UTF-8
 * here.
 */
record ExecsnoopLine(long pid, long ppid, int ret, String path, List<String> args, boolean argsTruncated) {

    /** The bytes execsnoop's kernel side keeps of one argument (ARGSIZE), its terminating NUL included. */
    static final int ARGUMENT_BYTES = 128;

    /** comm's column is 16 bytes wide, then a space. */
    private static final int COMM_WIDTH = 17;

    private static final Pattern NUMBERS = Pattern.compile("^ *(\\d+) +(\\d+) +(-?\\d+) (\".*)$", Pattern.DOTALL);

    /** The header execsnoop prints once its programs are attached (and so it sees every exec from then on). */
    static boolean isHeader(String line) {
        return line.startsWith("PCOMM ") && line.contains(" ARGS");
    }

    /** The line as one exec, or empty when it is not shaped like one (a message). */
    static Optional<ExecsnoopLine> parse(String line) {
        if (line.length() <= COMM_WIDTH || line.charAt(COMM_WIDTH - 1) != ' ') {
            return Optional.empty();
        }
        Matcher m = NUMBERS.matcher(line.substring(COMM_WIDTH));
        if (!m.matches()) {
            return Optional.empty();
        }
        String quoted = m.group(4);
        if (!quoted.endsWith("\" ") && !quoted.endsWith("\" ...")) {
            return Optional.empty(); // cut short: not a whole line of execsnoop's
        }
        List<String> words = new ArrayList<>();
        boolean truncated = false;
        StringBuilder word = null;
        int i = 0;
        int n = quoted.length();
        while (i < n) {
            char c = quoted.charAt(i);
            if (word == null) {
                if (quoted.startsWith("\" ...", i) && i + 5 == n) {
                    truncated = true; // more arguments than execsnoop keeps
                    break;
                }
                if (c == '"') {
                    word = new StringBuilder();
                }
                i++;
            } else if (c == '\\' && i + 1 < n && quoted.charAt(i + 1) == '"' && !closesArgument(quoted, i + 1)) {
                word.append('"');
                i += 2;
            } else if (c == '"' && closesArgument(quoted, i)) {
                words.add(decode(word));
                word = null;
                i++;
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            return Optional.empty();
        }
        for (String w : words) {
            if (w.getBytes(StandardCharsets.UTF_8).length >= ARGUMENT_BYTES - 1) {
                truncated = true; // it may have been longer
            }
        }
        return Optional.of(new ExecsnoopLine(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                Integer.parseInt(m.group(3)),
                words.isEmpty() ? null : words.get(0),
                List.copyOf(words),
                truncated));
    }

    /**
     * A quote at {@code i} closes an argument when a space follows and then the end, the next argument's quote or
     * "..." — so {@code \"} followed so is an argument ending in a backslash.
     */
    private static boolean closesArgument(String s, int i) {
        if (i + 1 >= s.length() || s.charAt(i + 1) != ' ') {
            return false;
        }
        return i + 2 == s.length() || s.charAt(i + 2) == '"' || s.startsWith("...", i + 2);
    }

    private static String decode(StringBuilder latin1) {
        return new String(latin1.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
