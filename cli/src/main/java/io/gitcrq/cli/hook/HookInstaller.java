package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliFailure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes the hook scripts that make git call {@code gitcrq hook <name>}: {@code commit-msg} and {@code pre-push}
 * into a clone's hooks directory (wherever {@code core.hooksPath} puts it), {@code pre-receive} into a bare
 * repository. A script carries {@link #MARKER} so a reinstall replaces ours but never a foreign hook unless
 * forced.
 */
public final class HookInstaller {

    public static final String MARKER = "# gitcrq hook";
    public static final List<String> CLIENT_HOOKS = List.of("commit-msg", "pre-push");
    public static final List<String> SERVER_HOOKS = List.of("pre-receive");
    /**
     * git starts a new JVM per hook call, so the options are for starting fast (see bench/ P4 and the README's
     * "Benchmarks"). A client hook judges one message or a few refs: the interpreter alone finishes it sooner
     * than a JIT compiler gets going, and a small heap with the serial collector is set up faster. pre-receive may
     * read thousands of pushed commits, so it keeps a (quick, C1-only) compiler.
     */
    public static final String CLIENT_JVM_OPTIONS =
            "-Xint -XX:+UseSerialGC -XX:-UsePerfData -Xms8m -Xmx256m -Xshare:auto";

    public static final String SERVER_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto";
    static final String CDS_ARCHIVE = "gitcrq-hooks.jsa";

    /**
     * The resident hook runner's JVM options: it runs for up to an hour, so it compiles (C1 only: quick to warm up,
     * little memory) and keeps a small heap.
     */
    static final String RUNNER_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xmx64m";

    /**
     * What was installed where; {@code classDataArchive} is null when the scripts run without one,
     * {@code residentRunner} the runner's directory as the script names it (shell variables unexpanded), null when
     * commit-msg asks no resident runner (a launcher of the caller's, or no bash).
     */
    public record Installed(Path hooksDirectory, List<Path> scripts, Path classDataArchive, String residentRunner) {}

    private HookInstaller() {}

    /**
     * @param launcher the command the scripts run the CLI with (before {@code hook <name> "$@"}); null for
     *                 this CLI's own jar (or classpath) under this JVM, with {@link #CLIENT_JVM_OPTIONS} or
     *                 {@link #SERVER_JVM_OPTIONS}
     * @param classDataSharing whether to create an AppCDS archive for the default jar launcher
     */
    public static Installed install(Git git, boolean server, boolean force, String launcher, boolean classDataSharing) {
        Git.Output bare = git.run("rev-parse", "--is-bare-repository");
        if (bare.exitCode() != 0) {
            throw new CliFailure(
                    CliFailure.USAGE,
                    git.directory() + " is not a git repository: " + bare.err().strip());
        }
        boolean isBare = bare.out().strip().equals("true");
        if (server && !isBare) {
            throw new CliFailure(
                    CliFailure.USAGE,
                    git.directory() + " is not a bare repository: --server installs "
                            + "pre-receive where pushes are received; without --server, commit-msg and pre-push go into a clone");
        }
        if (!server && isBare) {
            throw new CliFailure(
                    CliFailure.USAGE,
                    git.directory() + " is a bare repository: nobody commits in it; "
                            + "use --server to install the pre-receive hook");
        }
        Path hooks = git.directory()
                .resolve(git.output("rev-parse", "--git-path", "hooks").strip())
                .normalize();
        List<String> names = server ? SERVER_HOOKS : CLIENT_HOOKS;
        List<String> foreign = new ArrayList<>();
        for (String name : names) {
            Path script = hooks.resolve(name);
            if (Files.exists(script) && !isOurs(script) && !force) {
                foreign.add(script.toString());
            }
        }
        if (!foreign.isEmpty()) {
            throw CliFailure.refused("not overwriting hooks gitcrq did not write: " + String.join(", ", foreign)
                    + "\n  move them away (or chain them yourself), or pass --force to replace them");
        }
        try {
            Files.createDirectories(hooks);
            Path archive = null;
            String command = launcher;
            String runnerCommand = null;
            if (command == null) {
                Path jar = ownJar();
                if (jar != null && classDataSharing) {
                    archive = trainClassDataArchive(git, hooks, jar, server);
                }
                command = defaultLauncher(jar, archive, server);
                runnerCommand = runnerLauncher(jar);
            }
            // The resident script is bash's: where there is none (a minimal image), every call starts the JVM.
            String runner = runnerCommand == null || !Files.isExecutable(Path.of("/bin/bash"))
                    ? null
                    : runnerDirectory(runnerCommand);
            List<Path> written = new ArrayList<>();
            for (String name : names) {
                Path script = hooks.resolve(name);
                String text = name.equals("commit-msg") && runner != null
                        ? residentScript(name, command, runnerCommand, runner)
                        : script(name, command);
                Files.writeString(script, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                written.add(script);
            }
            return new Installed(hooks, written, archive, runner);
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot write hooks into " + hooks + ": " + e.getMessage(), e);
        }
    }

    static String script(String name, String launcher) {
        return "#!/bin/sh\n"
                + MARKER + " " + name + ": written by 'gitcrq hooks install'; rerun it to update this file.\n"
                + "exec " + launcher + " hook " + name + " \"$@\"\n";
    }

    /**
     * A hook script that has the resident runner ({@link HookDaemon}) run the hook, reached with bash's builtins alone
     * (a connection to 127.0.0.1 through {@code /dev/tcp}, the tokens of the runner's address file), and otherwise runs
     * it in a JVM ({@code launcher}) after starting the runner ({@code runnerLauncher} given the runner's directory) in
     * the background for the next call. Nothing of the caller's is evaluated: the message file's name and the
     * environment go to the runner as data.
     */
    static String residentScript(String name, String launcher, String runnerLauncher, String runnerDirectory) {
        return """
                #!/bin/bash
                %1$s %2$s: written by 'gitcrq hooks install'; rerun it to update this file.
                # gitcrq's resident hook runner (io.gitcrq.cli.hook.HookDaemon) runs the hook when it is up: bash reaches
                # it with builtins alone, where a JVM per commit costs more than the check itself (bench P4). When it does
                # not answer, the JVM of the last line runs the hook and the runner is started for the next call.
                # GITCRQ_HOOK_DAEMON=0 always runs the JVM.
                runner="%3$s"
                start_runner() {
                  (
                    umask 077
                    cd / || exit
                    [[ -d $runner ]] || mkdir -m 700 "$runner" || exit
                    [[ -O $runner && ! -L $runner ]] || exit
                    # Only stdin, stdout and stderr, all redirected: the runner must hold none of git's descriptors.
                    for fd in /proc/$BASHPID/fd/*; do
                      fd=${fd##*/}
                      [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)) && eval "exec $fd>&-"
                    done
                    exec env -i PATH="$PATH" HOME="${HOME:-/}" LANG=C.UTF-8 setsid %4$s "$runner" \\
                      </dev/null >>"$runner/daemon.log" 2>&1 &
                  ) 2>/dev/null
                }
                if [[ ${GITCRQ_HOOK_DAEMON:-1} != 0 ]]; then
                  if [[ -d $runner && -O $runner && ! -L $runner && -f $runner/address && -O $runner/address ]] &&
                    { IFS= read -r port && IFS= read -r client && IFS= read -r server; } <"$runner/address" &&
                    [[ $port =~ ^[0-9]{1,5}$ ]] && { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
                    trap '' PIPE # a runner that hangs up makes a write fail, not end this script
                    printf 'T:%%s\\0' "$client" >&3 2>/dev/null
                    if IFS= read -r -d '' -t 30 -u 3 hello && [[ $hello == "S:$server" ]]; then
                      # The request in one write (one printf): small writes one after another would wait for
                      # the runner's delayed acknowledgement (Nagle), tens of milliseconds each time.
                      fields=(V:1 "C:$PWD")
                      for variable in "${!GIT_@}" HOME XDG_CONFIG_HOME; do
                        [[ -n ${!variable+set} ]] && fields+=("E:$variable=${!variable}")
                      done
                      for argument in %2$s "$@"; do
                        fields+=("A:$argument")
                      done
                      printf '%%s\\0' "${fields[@]}" '' >&3 2>/dev/null
                      if IFS= read -r -d '' -t 120 -u 3 answer && [[ $answer =~ ^X:([0-9]{1,3})$ ]]; then
                        status=${BASH_REMATCH[1]}
                        IFS= read -r -d '' -u 3 text
                        printf '%%s' "$text" >&2
                        exit "$status"
                      fi
                      [[ $answer == F:* ]] || start_runner
                    else
                      start_runner
                    fi
                    exec 3>&-
                  else
                    start_runner
                  fi
                fi
                trap - PIPE
                exec %5$s hook %2$s "$@"
                """.formatted(MARKER, name, runnerDirectory, runnerLauncher, launcher);
    }

    /**
     * The runner's directory for one runner command, as bash expands it: in the user's runtime directory, named by
     * the user and by the command (another build of the CLI runs a runner of its own).
     */
    static String runnerDirectory(String runnerLauncher) {
        return "${XDG_RUNTIME_DIR:-/tmp}/" + runnerName(runnerLauncher, "$UID");
    }

    /**
     * The directory of the runner this CLI's {@code commit-msg} asks (the one {@code hooks install} names), for this
     * process's user and the {@code XDG_RUNTIME_DIR} of {@code env}, as the hook's bash finds it.
     */
    public static Path runnerDirectoryOfThisCli(Map<String, String> env) {
        String runtime = env.getOrDefault("XDG_RUNTIME_DIR", "");
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot tell this process's user id: " + e.getMessage(), e);
        }
        return Path.of(runtime.isEmpty() ? "/tmp" : runtime)
                .resolve(runnerName(runnerLauncher(ownJar()), String.valueOf(uid)));
    }

    /** The runner's directory name: by user and by the command that starts it (another build runs its own). */
    private static String runnerName(String runnerLauncher, String uid) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(runnerLauncher.getBytes(StandardCharsets.UTF_8));
            return "gitcrq-hooks-" + uid + "-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static String runnerLauncher(Path jar) {
        String classPath = jar != null ? jar.toString() : System.getProperty("java.class.path");
        return quote(java().toString()) + " " + RUNNER_JVM_OPTIONS + " -cp " + quote(classPath) + " "
                + HookDaemon.class.getName();
    }

    private static boolean isOurs(Path script) {
        try {
            return Files.readString(script, StandardCharsets.UTF_8).contains(MARKER);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // unreadable or binary: not ours
        }
    }

    /** This CLI's runnable jar, or null when it runs from a classes directory (tests, an IDE). */
    static Path ownJar() {
        try {
            Path location = Path.of(HookInstaller.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static String jvmOptions(boolean server) {
        return server ? SERVER_JVM_OPTIONS : CLIENT_JVM_OPTIONS;
    }

    private static String defaultLauncher(Path jar, Path archive, boolean server) {
        String options =
                jvmOptions(server) + (archive == null ? "" : " -XX:SharedArchiveFile=" + quote(archive.toString()));
        if (jar != null) {
            return quote(java().toString()) + " " + options + " -cp " + quote(jar.toString()) + " "
                    + HookMain.class.getName();
        }
        return quote(java().toString()) + " " + options + " -cp " + quote(System.getProperty("java.class.path")) + " "
                + HookMain.class.getName();
    }

    /**
     * Runs the hook once under {@code -XX:ArchiveClassesAtExit} so later calls map the classes it loaded from
     * the archive instead of loading them from the jar. A failed training only costs the speed-up.
     */
    private static Path trainClassDataArchive(Git git, Path hooks, Path jar, boolean server) throws IOException {
        Path archive = hooks.resolve(CDS_ARCHIVE);
        Files.deleteIfExists(archive);
        Path message = Files.createTempFile(hooks, "gitcrq-training", ".msg");
        try {
            Files.writeString(message, "gitcrq training run\n", StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(java().toString(), "-XX:ArchiveClassesAtExit=" + archive));
            command.addAll(List.of(jvmOptions(server).split(" ")));
            command.addAll(List.of("-cp", jar.toString(), HookMain.class.getName(), "hook"));
            command.addAll(server ? List.of("pre-receive") : List.of("commit-msg", message.toString()));
            Process training = new ProcessBuilder(command)
                    .directory(git.directory().toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            training.getOutputStream().close();
            if (!training.waitFor(60, TimeUnit.SECONDS)) {
                training.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(message);
        }
        return Files.isRegularFile(archive) && Files.size(archive) > 0 ? archive : null;
    }

    /** A word for sh: single-quoted, with embedded quotes escaped. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
