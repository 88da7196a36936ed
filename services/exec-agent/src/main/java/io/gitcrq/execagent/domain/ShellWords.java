package io.gitcrq.execagent.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A command line read the way a POSIX shell reads its words, conservatively: words separated by blanks, single quotes
 * (everything literal), double quotes (literal but for {@code $}, backticks and {@code \}) and backslashes (the next
 * character literal). Whatever else a shell would treat as syntax — an operator or separator ({@code ; | & < > ( )},
 * a newline), an expansion ({@code $}, a backtick, a glob {@code * ? [}, a brace {@code {}, a leading {@code ~}), a
 * comment, an assignment or a builtin as the program — makes the line a <em>shell line</em>: it means something only
 * to a shell, and {@link #shellSyntax} names what was found. A line without any is its argument vector ({@link #words}),
 * which run as they are means exactly what a shell would have made of the line.
 *
 * @param words       the argument vector, quotes removed (empty for a shell line)
 * @param shellSyntax what makes this a shell line, e.g. {@code ';'} (null: a plain argument vector)
 */
public record ShellWords(List<String> words, String shellSyntax) {

    /**
     * Shell builtins and keywords with no program of that name to run: as a program they mean something only to a
     * shell ({@code cd}, {@code exit}, {@code eval}, {@code exec}…).
     */
    private static final Set<String> SHELL_ONLY = Set.of(
            "!",
            "{",
            "}",
            "[[",
            "]]",
            ".",
            ":",
            "alias",
            "bg",
            "bind",
            "break",
            "builtin",
            "caller",
            "case",
            "cd",
            "command",
            "compgen",
            "complete",
            "compopt",
            "continue",
            "coproc",
            "declare",
            "dirs",
            "disown",
            "do",
            "done",
            "elif",
            "else",
            "enable",
            "esac",
            "eval",
            "exec",
            "exit",
            "export",
            "fc",
            "fg",
            "fi",
            "for",
            "function",
            "getopts",
            "hash",
            "history",
            "if",
            "in",
            "jobs",
            "let",
            "local",
            "logout",
            "mapfile",
            "popd",
            "pushd",
            "read",
            "readarray",
            "readonly",
            "return",
            "select",
            "set",
            "shift",
            "shopt",
            "source",
            "suspend",
            "then",
            "time",
            "times",
            "trap",
            "type",
            "typeset",
            "ulimit",
            "umask",
            "unalias",
            "unset",
            "until",
            "wait",
            "while");

    public ShellWords {
        words = List.copyOf(words);
    }

    public boolean isShellLine() {
        return shellSyntax != null;
    }

    /** Reads {@code line}; never fails: what it cannot read plainly makes a shell line. */
    public static ShellWords parse(String line) {
        String text = line == null ? "" : line;
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
                continue;
            }
            boolean wordStart = word == null;
            if (word == null) {
                word = new StringBuilder();
            }
            switch (c) {
                case '\'' -> {
                    int end = text.indexOf('\'', i + 1);
                    if (end < 0) {
                        return shell("an unclosed quote");
                    }
                    word.append(text, i + 1, end);
                    i = end + 1;
                }
                case '"' -> {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char d = text.charAt(i);
                        if (d == '"') {
                            closed = true;
                            i++;
                            break;
                        }
                        if (d == '$' || d == '`') {
                            return shell("'" + d + "' (an expansion)");
                        }
                        if (d == '\\' && i + 1 < n) {
                            char next = text.charAt(i + 1);
                            if (next == '\n') {
                                return shell("a newline");
                            }
                            if (next == '"' || next == '\\' || next == '$' || next == '`') {
                                word.append(next);
                                i += 2;
                                continue;
                            }
                        }
                        word.append(d);
                        i++;
                    }
                    if (!closed) {
                        return shell("an unclosed quote");
                    }
                }
                case '\\' -> {
                    if (i + 1 >= n) {
                        return shell("a trailing backslash");
                    }
                    char next = text.charAt(i + 1);
                    if (next == '\n' || next == '\r') {
                        return shell("a newline");
                    }
                    word.append(next);
                    i += 2;
                }
                default -> {
                    String syntax = syntax(c, wordStart);
                    if (syntax != null) {
                        return shell(syntax);
                    }
                    if (c == '\0') {
                        return shell("a NUL character");
                    }
                    word.append(c);
                    i++;
                }
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            return new ShellWords(List.of(), null);
        }
        String program = words.get(0);
        if (program.indexOf('=') >= 0) {
            return shell("'" + program + "' (an assignment, not a program)");
        }
        if (SHELL_ONLY.contains(program)) {
            return shell("'" + program + "' (a shell builtin or keyword)");
        }
        return new ShellWords(words, null);
    }

    /** What an unquoted character means to a shell, or null if nothing but itself. */
    private static String syntax(char c, boolean wordStart) {
        return switch (c) {
            case ';', '|', '&', '<', '>', '(', ')' -> "'" + c + "' (an operator)";
            case '\n', '\r' -> "a newline";
            case '$', '`' -> "'" + c + "' (an expansion)";
            case '*', '?', '[' -> "'" + c + "' (a glob)";
            case '{', '}' -> "'" + c + "' (a brace expansion)";
            case '~' -> wordStart ? "'~' (a home directory expansion)" : null;
            case '#' -> wordStart ? "'#' (a comment)" : null;
            default -> null;
        };
    }

    private static ShellWords shell(String what) {
        return new ShellWords(List.of(), what);
    }
}
