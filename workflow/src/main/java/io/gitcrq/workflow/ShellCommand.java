package io.gitcrq.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a {@code shell:} value becomes a command line, as GitHub Actions does on Linux. The script is written to a file
 * and {@code {0}} stands for its path:
 * <ul>
 *   <li>none given: {@code bash -e {0}}</li>
 *   <li>{@code bash}: {@code bash --noprofile --norc -eo pipefail {0}}</li>
 *   <li>{@code sh}: {@code sh -e {0}}</li>
 *   <li>{@code python}: {@code python {0}} (script file {@code .py})</li>
 *   <li>{@code pwsh}: {@code pwsh -command ". '{0}'"} (script file {@code .ps1})</li>
 *   <li>anything else is a command template, split on blanks (single or double quotes group), {@code {0}} replaced
 *       by the script path; a template without {@code {0}} gets the path appended.</li>
 * </ul>
 * {@code cmd} and {@code powershell} (Windows shells) are refused.
 */
public final class ShellCommand {

    private ShellCommand() {}

    /** The argument vector that runs {@code scriptFile} with {@code shell} (null or blank: the default). */
    public static List<String> command(String shell, Path scriptFile) {
        String path = scriptFile.toString();
        String s = shell == null ? "" : shell.strip();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "":
                return List.of("bash", "-e", path);
            case "bash":
                return List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", path);
            case "sh":
                return List.of("sh", "-e", path);
            case "python":
                return List.of("python", path);
            case "pwsh":
                return List.of("pwsh", "-command", ". '" + path + "'");
            case "cmd":
            case "powershell":
                throw new IllegalArgumentException("shell '" + s + "' is a Windows shell and is not supported");
            default:
                break;
        }
        List<String> words = split(s);
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String word : words) {
            if (word.contains("{0}")) {
                placed = true;
                out.add(word.replace("{0}", path));
            } else {
                out.add(word);
            }
        }
        if (!placed) {
            out.add(path);
        }
        return List.copyOf(out);
    }

    /** The script file's extension for a shell: {@code .py}, {@code .ps1} or {@code .sh}. */
    public static String scriptExtension(String shell) {
        String s = shell == null ? "" : shell.strip().toLowerCase(Locale.ROOT);
        if (s.equals("python") || s.startsWith("python ") || s.startsWith("python3")) {
            return ".py";
        }
        if (s.equals("pwsh") || s.startsWith("pwsh ")) {
            return ".ps1";
        }
        return ".sh";
    }

    /** Refuses shells that cannot run here (throws IllegalArgumentException with the reason). */
    static void check(String shell) {
        List<String> command = command(shell, Path.of("script"));
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("shell '" + shell + "' names no program");
        }
    }

    private static List<String> split(String template) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("shell '" + template + "' has an unclosed quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
