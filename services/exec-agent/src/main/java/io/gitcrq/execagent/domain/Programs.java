package io.gitcrq.execagent.domain;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What kind of program a command's first word names, by its file name. */
public final class Programs {

    /** POSIX-style shells: {@code -c} makes their first operand a script. */
    private static final Set<String> SHELLS =
            Set.of("sh", "bash", "rbash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "ash", "yash");

    /**
     * Programs that run code given to them as a script or an argument besides the shells above; interpreters whose
     * file name carries a version ({@code python3.11}) count by the name without it.
     */
    private static final Set<String> OTHER_SCRIPT_RUNNERS = Set.of(
            "fish",
            "csh",
            "tcsh",
            "busybox",
            "pwsh",
            "python",
            "pypy",
            "perl",
            "ruby",
            "node",
            "nodejs",
            "deno",
            "bun",
            "php",
            "lua",
            "luajit",
            "tclsh",
            "wish",
            "rscript",
            "awk",
            "gawk",
            "mawk",
            "nawk",
            "jshell",
            "groovy",
            "osascript");

    private static final Pattern VERSION_SUFFIX = Pattern.compile("[0-9][0-9.]*$");

    private Programs() {}

    /** The program's file name: {@code rm} for {@code /bin/rm}. */
    public static String fileName(String program) {
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }

    /** A POSIX-style shell ({@code bash}, {@code /bin/sh}…). */
    public static boolean isShell(String program) {
        return SHELLS.contains(name(program));
    }

    /** A program that runs code it is given: a shell or an interpreter. */
    public static boolean runsScripts(String program) {
        String name = name(program);
        return SHELLS.contains(name) || OTHER_SCRIPT_RUNNERS.contains(name);
    }

    private static String name(String program) {
        String name = fileName(program).toLowerCase(Locale.ROOT);
        String bare = VERSION_SUFFIX.matcher(name).replaceFirst("");
        return SHELLS.contains(name) || OTHER_SCRIPT_RUNNERS.contains(name) || bare.isEmpty() ? name : bare;
    }
}
