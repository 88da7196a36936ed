package io.gitcrq.execagent.tmux;

import io.gitcrq.model.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The files of one exec in the log directory, and the protocol between the agent and the pane:
 * <ul>
 *   <li>{@code <execId>.sh}, the wrapper the pane runs: it runs {@code <execId>.run.sh} — recorded by util-linux
 *   {@code script} when the agent records ({@link #prepare}) — and writes the command's exit status;</li>
 *   <li>{@code <execId>.run.sh}, the run itself: it enters the working directory, shows the command, runs it
 *   as the argument vector the host policy decided on (through {@code env}, with the exec's own variables, if any;
 *   a shell line is the vector {@code bash -c LINE}), its output tee'd to the log,
 *   and exits with the command's status;</li>
 *   <li>{@code <execId>.pid}, the process id of the shell that becomes that command — or of the strace it becomes when the command is
 *   traced from its start (below): the root of the command's process tree, which the agent kills when the command
 *   runs past its timeout or is cancelled;</li>
 *   <li>{@code <execId>.strace}, when a {@code process} or {@code syscall} audit source follows the command
 *   ({@link Run#tracer}): the command runs under that source's strace, which writes here what the source reads, and
 *   which, being the command's parent, passes its exit status on and ends with its tree;</li>
 *   <li>{@code <execId>.go}, when a tracer is to attach to the command instead (a {@code process} or {@code syscall}
 *   audit source on a host whose strace cannot trace it from its start): a FIFO on which that shell, having written
 *   its pid, waits for the agent's word ({@link #signalGo}) before it becomes the command, so the tracer sees the
 *   command's first execs; past the wait it runs on all the same and writes {@code <execId>.go.missed};</li>
 *   <li>{@code <execId>.audit/}, what audit sources keep (the {@code network} source's pcap);</li>
 *   <li>{@code <execId>.log}, the command's output (stdout and stderr), as the person at the pane saw it;</li>
 *   <li>{@code <execId>.timing} and {@code <execId>.typescript}, the recording as {@code script} writes it
 *   (advanced timing format: each output chunk's delay and size, plus the terminal's size and type; and the
 *   bytes the pane received), turned into an asciicast once the command ended ({@code recording.Recordings});</li>
 *   <li>{@code <execId>.exit}, the exit status, written to a temporary file and renamed, so whoever sees the
 *   file sees the whole number;</li>
 *   <li>{@code <execId>.secrets}, only for an exec with credentials (a launch profile's): {@code NAME=VALUE}
 *   pairs, each ended by a NUL, readable by this user only; the run exports them and deletes the file before it
 *   runs anything, so a credential reaches the command's environment and never a script, the log or the
 *   recording (the command line shows no value either).</li>
 * </ul>
 * The wrapper then becomes an interactive shell, so the pane stays open with the output for whoever looks.
 * <p>
 * Why {@code script} records, rather than {@code tmux pipe-pane}: the pane's program is started with the
 * pane, so a pipe attached afterwards could miss the first output; pipe-pane gives bytes without timing and
 * would also capture the interactive shell that follows. {@code script} is the command's own parent: it
 * sees every byte from the first, stamps each chunk as it reads it, keeps the pane's size, and ends with
 * the command, and its files outlive an agent restart (recovery converts them like any other).
 */
public final class ManagedCommand {

    /** {@code <execId>.run.sh}. */
    private static final ScriptTemplate RUN = ScriptTemplate.load("run.sh");
    /** {@code <execId>.sh}, with one of the two ways below to run the run script. */
    private static final ScriptTemplate WRAPPER = ScriptTemplate.load("wrapper.sh");

    private static final ScriptTemplate WRAPPER_RUN_RECORDED = ScriptTemplate.load("wrapper-run-recorded.sh");
    private static final ScriptTemplate WRAPPER_RUN_PLAIN = ScriptTemplate.load("wrapper-run-plain.sh");

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

    public Path runScript() {
        return directory.resolve(execId + ".run.sh");
    }

    /** The process id of the command's shell, written as it starts. */
    public Path pidFile() {
        return directory.resolve(execId + ".pid");
    }

    /** The credentials of the exec, until its run has read them. */
    public Path secretsFile() {
        return directory.resolve(execId + ".secrets");
    }

    /** The FIFO on which the command waits for its tracer to attach (see {@link #prepare}). */
    public Path goFile() {
        return directory.resolve(execId + ".go");
    }

    /** Written by the run when it stopped waiting for its tracer: its first moments ran untraced. */
    public Path attachMissedFile() {
        return directory.resolve(execId + ".go.missed");
    }

    /** What the strace a command runs under writes, for the audit source that follows it ({@link Run#tracer}). */
    public Path traceFile() {
        return directory.resolve(execId + ".strace");
    }

    /** Where the exec's audit sources keep their artifacts. */
    public Path auditDirectory() {
        return directory.resolve(execId + ".audit");
    }

    /** {@code script}'s timing log (advanced format), while the exec is recorded. */
    public Path timingFile() {
        return directory.resolve(execId + ".timing");
    }

    /** {@code script}'s output log: a header line, then every byte the pane was sent. */
    public Path typescriptFile() {
        return directory.resolve(execId + ".typescript");
    }

    /**
     * Writes the wrapper and answers the program to start in the pane, for a shell line (run by {@code bash -c}); every
     * value enters the scripts quoted.
     *
     * @param record whether to record the pane with {@code script} (util-linux 2.35 or later, see
     *               {@code Recordings#scriptAvailable}); when {@code script} cannot start the run, it runs
     *               unrecorded all the same (the log file, which the run creates first, tells whether it started)
     */
    public List<String> prepare(String command, Path cwd, String crqId, boolean record) throws IOException {
        return prepare(command, cwd, crqId, Map.of(), record);
    }

    /**
     * As {@link #prepare(String, Path, String, boolean)}, the command run with {@code env} set on top of the pane's
     * environment (names must hold no '=', see {@code ExecOrder}).
     */
    public List<String> prepare(String command, Path cwd, String crqId, Map<String, String> env, boolean record)
            throws IOException {
        return prepare(command, cwd, crqId, env, record, null);
    }

    /**
     * As {@link #prepare(String, Path, String, Map, boolean)}; with {@code awaitGo}, the command's shell waits, after
     * writing its pid, until the agent {@link #signalGo signals} that its tracer is attached (at most that long,
     * rounded up to whole seconds).
     */
    public List<String> prepare(
            String command, Path cwd, String crqId, Map<String, String> env, boolean record, Duration awaitGo)
            throws IOException {
        return prepare(command, cwd, crqId, new Run(env, Map.of(), record, false, List.of(), awaitGo));
    }

    /**
     * How a command is run, beyond its words and directory.
     *
     * @param env         variables set for it on top of the pane's environment
     * @param secretEnv   credentials exported into its environment through {@link #secretsFile()}
     * @param record      whether {@code script} records the pane (see {@link #prepare(String, Path, String, boolean)})
     * @param interactive a tool a launch profile starts (e.g. the Gemini CLI): it writes straight to the pane's
     *                    terminal — through a pipe to the log it would see no terminal and refuse to run full-screen —
     *                    and its log is made from the recording when it ends ({@code Recordings#logFromRecording})
     * @param tracer      words the command runs under, e.g. a following audit source's strace (empty: none); the
     *                    command's shell becomes them, so they are the root a timeout kills and pass on its status
     * @param awaitGo     when set, the command's shell waits, after writing its pid, until the agent
     *                    {@link #signalGo signals} that its tracer is attached (at most that long, rounded up to
     *                    whole seconds)
     * @param cgroupProcs when set, the {@code cgroup.procs} file of the command's own cgroup, which its shell joins
     *                    first (if it cannot, the command runs all the same and its log says so)
     */
    public record Run(
            Map<String, String> env,
            Map<String, String> secretEnv,
            boolean record,
            boolean interactive,
            List<String> tracer,
            Duration awaitGo,
            Path cgroupProcs) {
        public Run {
            tracer = tracer == null ? List.of() : List.copyOf(tracer);
        }

        public Run(
                Map<String, String> env,
                Map<String, String> secretEnv,
                boolean record,
                boolean interactive,
                List<String> tracer,
                Duration awaitGo) {
            this(env, secretEnv, record, interactive, tracer, awaitGo, null);
        }
    }

    /** As {@link #prepare(List, String, Path, String, Run)}, for a shell line: run by {@code bash -c}. */
    public List<String> prepare(String command, Path cwd, String crqId, Run options) throws IOException {
        return prepare(List.of("bash", "-c", command), command, cwd, crqId, options);
    }

    /**
     * Writes the scripts of a run as {@link Run} says, and answers the program to start in the pane. {@code argv} is
     * what runs, each word quoted into the script as data (never read by a shell as a line); {@code command} is only
     * shown, as the command the user asked for.
     */
    public List<String> prepare(List<String> argv, String command, Path cwd, String crqId, Run options)
            throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("nothing to run");
        }
        Map<String, String> env = options.env();
        boolean record = options.record();
        Duration awaitGo = options.awaitGo();
        createPrivateDirectory(directory);
        writeSecrets(options.secretEnv());
        writeArgv(argv);
        long goSeconds = awaitGo == null ? 0 : Math.max(1, (awaitGo.toMillis() + 999) / 1000);
        String envWords = env.entrySet().stream()
                .map(e -> quote(e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining(" "));
        String tracerWords =
                options.tracer().stream().map(ManagedCommand::quote).collect(Collectors.joining(" "));
        String run = RUN.fill(Map.ofEntries(
                Map.entry("command", quote(command)),
                Map.entry("argvFile", quote(argvFile().toString())),
                Map.entry("execId", quote(execId)),
                Map.entry("crqId", quote(crqId)),
                Map.entry("log", quote(logFile().toString())),
                Map.entry("cwd", quote(cwd.toString())),
                Map.entry("pidFile", quote(pidFile().toString())),
                Map.entry("env", envWords),
                Map.entry("goFile", quote(goFile().toString())),
                Map.entry("goSeconds", Long.toString(goSeconds)),
                Map.entry(
                        "cgroupProcs",
                        options.cgroupProcs() == null
                                ? "''"
                                : quote(options.cgroupProcs().toString())),
                Map.entry("secretsFile", quote(secretsFile().toString())),
                // An interactive tool writes to the terminal itself; other output is tee'd to the log.
                Map.entry("toLog", options.interactive() ? "" : "2>&1 | tee -a -- \"$log\""),
                Map.entry("status", options.interactive() ? "$?" : "\"${PIPESTATUS[0]}\""),
                Map.entry("tracer", tracerWords)));
        // When script cannot start the run (no terminal left?), the recorded wrapper runs it unrecorded.
        String runInWrapper = record
                ? WRAPPER_RUN_RECORDED.fill(Map.of(
                        "timingFile", quote(timingFile().toString()),
                        "typescriptFile", quote(typescriptFile().toString()),
                        "scriptCommand", quote("exec bash " + quote(runScript().toString())),
                        "runScript", quote(runScript().toString())))
                : WRAPPER_RUN_PLAIN.fill(Map.of("runScript", quote(runScript().toString())));
        String wrapper = WRAPPER.fill(Map.of(
                "execId", quote(execId),
                "crqId", quote(crqId),
                "log", quote(logFile().toString()),
                "exitFile", quote(exitFile().toString()),
                "run", runInWrapper));
        Files.writeString(runScript(), run, StandardCharsets.UTF_8);
        Files.writeString(wrapperScript(), wrapper, StandardCharsets.UTF_8);
        return List.of("bash", wrapperScript().toString());
    }

    /**
     * What runs, word by word (NUL-separated), readable by the agent's user alone: the run script reads it once and
     * removes it, so the script holds a reference to the command, never the command itself (which may hold a secret
     * the user typed).
     */
    public Path argvFile() {
        return directory.resolve(execId + ".argv");
    }

    private void writeArgv(List<String> argv) throws IOException {
        Files.deleteIfExists(argvFile());
        AtomicFiles.createPrivate(argvFile());
        StringBuilder words = new StringBuilder();
        argv.forEach(word -> words.append(word).append('\0'));
        Files.writeString(argvFile(), words, StandardCharsets.UTF_8);
    }

    /** Removes credentials and the command a run never read (it could not be started). */
    public void discardSecrets() throws IOException {
        Files.deleteIfExists(secretsFile());
        Files.deleteIfExists(argvFile());
    }

    private void writeSecrets(Map<String, String> secretEnv) throws IOException {
        Files.deleteIfExists(secretsFile());
        if (secretEnv.isEmpty()) {
            return;
        }
        StringBuilder pairs = new StringBuilder();
        secretEnv.forEach(
                (name, value) -> pairs.append(name).append('=').append(value).append('\0'));
        Path file = secretsFile();
        AtomicFiles.createPrivate(file);
        Files.writeString(file, pairs, StandardCharsets.UTF_8);
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

    /** The process id of the command's shell, once it started (empty before, or if unreadable). */
    public OptionalLong commandPid() {
        try {
            return OptionalLong.of(Long.parseLong(
                    Files.readString(pidFile(), StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Lets a command waiting for its tracer run on. The FIFO is opened for reading and writing, which never blocks:
     * a run that stopped waiting (no reader any more) does not hold the agent up.
     */
    public void signalGo() throws IOException {
        try (FileChannel go = FileChannel.open(goFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            go.write(ByteBuffer.wrap("go\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** Whether the command stopped waiting for its tracer and ran on without it. */
    public boolean attachMissed() {
        return Files.exists(attachMissedFile());
    }

    /** The handshake's files, once the command ended. */
    public void removeHandshake() throws IOException {
        Files.deleteIfExists(goFile());
        Files.deleteIfExists(attachMissedFile());
    }

    /** When the exit status was written: the command's end. */
    public Instant endedAt() throws IOException {
        return Files.getLastModifiedTime(exitFile()).toInstant();
    }

    /** A POSIX shell word that stands for exactly {@code value}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Output may hold anything a command printed: only this user reads it. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }
}
