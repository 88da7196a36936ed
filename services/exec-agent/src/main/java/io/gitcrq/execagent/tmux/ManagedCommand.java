package io.gitcrq.execagent.tmux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * The files of one exec in the log directory, and the protocol between the agent and the pane:
 * <ul>
 *   <li>{@code <execId>.sh}, the wrapper the pane runs: it enters the working directory, shows the command,
 *   runs it with {@code bash -c}, its output tee'd to the log, and writes the command's exit status;</li>
 *   <li>{@code <execId>.log}, the command's output (stdout and stderr), as the person at the pane saw it;</li>
 *   <li>{@code <execId>.exit}, the exit status, written to a temporary file and renamed, so whoever sees the
 *   file sees the whole number.</li>
 * </ul>
 * The wrapper then becomes an interactive shell, so the pane stays open with the output for whoever looks.
 */
public final class ManagedCommand {

    private final String execId;
    private final Path directory;

    private ManagedCommand(Path directory, String execId) {
        this.directory = directory;
        this.execId = execId;
    }

    /** {@code execId} must already be a safe file name (see {@code ExecOrder}). */
    public static ManagedCommand in(Path logDirectory, String execId) {
        return new ManagedCommand(logDirectory, execId);
    }

    public Path logFile() {
        return directory.resolve(execId + ".log");
    }

    public Path exitFile() {
        return directory.resolve(execId + ".exit");
    }

    public Path wrapperScript() {
        return directory.resolve(execId + ".sh");
    }

    /**
     * Writes the wrapper and answers the program to start in the pane. Only the user's command is run by a
     * shell as a string (it is a shell command by design); every other value enters the script quoted.
     */
    public List<String> prepare(String command, Path cwd, String crqId) throws IOException {
        createPrivateDirectory(directory);
        String script = """
                # gitcrq exec-agent: exec %2$s for %3$s (generated; runs once)
                log=%4$s
                exit_file=%5$s
                command=%1$s
                finish() {
                    printf '%%s\\n' "$1" > "$exit_file.tmp" && mv -f -- "$exit_file.tmp" "$exit_file"
                }
                # Interrupted at the pane, or the pane closed: the status is recorded all the same.
                trap 'finish 130; trap - INT HUP TERM; exec bash' INT
                trap 'finish 129; exit 129' HUP
                trap 'finish 143; exit 143' TERM
                : >> "$log"
                if ! cd -- %6$s; then
                    echo "exec-agent: cannot enter "%6$s | tee -a -- "$log"
                    finish 1
                else
                    printf '\\n\\033[1m[%%s %%s] $ %%s\\033[0m\\n' %3$s %2$s "$command"
                    bash -c "$command" 2>&1 | tee -a -- "$log"
                    finish "${PIPESTATUS[0]}"
                fi
                trap - INT HUP TERM
                exec bash
                """.formatted(quote(command), quote(execId), quote(crqId), quote(logFile().toString()),
                quote(exitFile().toString()), quote(cwd.toString()));
        Files.writeString(wrapperScript(), script, StandardCharsets.UTF_8);
        return List.of("bash", wrapperScript().toString());
    }

    /** The exit status once the command ended, else empty. */
    public OptionalInt exitCode() throws IOException {
        try {
            String text = Files.readString(exitFile(), StandardCharsets.UTF_8).trim();
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (NumberFormatException e) {
            throw new IOException("unreadable exit status in " + exitFile(), e);
        }
    }

    /** When the exit status was written: the command's end. */
    public Instant endedAt() throws IOException {
        return Files.getLastModifiedTime(exitFile()).toInstant();
    }

    /** A POSIX shell word that stands for exactly {@code value}. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Output may hold anything a command printed: only this user reads it. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }
}
