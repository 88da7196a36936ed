package io.gitcrq.execagent.recording;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.tmux.ManagedCommand;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every exec's recording: {@code <gitcrq.exec.recordings-dir>/<execId>.cast}, asciicast v2, made once the
 * command ended from what {@code script} recorded in the pane ({@link ManagedCommand}), with secrets masked;
 * script's own files, which are not masked, are removed then.
 */
@ApplicationScoped
public class Recordings {

    private static final Logger LOG = Logger.getLogger(Recordings.class);

    private final ExecAgentConfig config;
    private final Redactor redactor;
    private volatile Boolean scriptAvailable;

    public Recordings(ExecAgentConfig config, Redactor redactor) {
        this.config = config;
        this.redactor = redactor;
    }

    /** Where an exec's recording goes: where its launch profile said, else the agent's recordings directory. */
    public Path castFile(ManagedExec exec) {
        Path directory = exec.recordingsDir == null ? config.recordingsDirectory() : Path.of(exec.recordingsDir);
        return directory.resolve(exec.execId + ".cast");
    }

    /** The files of an exec: in the directory of its log (a launch profile may choose it), else the agent's. */
    public ManagedCommand files(ManagedExec exec) {
        return ManagedCommand.in(
                exec.logPath == null || exec.logPath.isEmpty()
                        ? config.logDirectory()
                        : Path.of(exec.logPath).getParent(),
                exec.execId);
    }

    /**
     * Whether util-linux {@code script} with a timing log in the advanced format (2.35 or later) is here; asked
     * once. Without it commands run unrecorded, as the log says.
     */
    public boolean scriptAvailable() {
        Boolean known = scriptAvailable;
        if (known == null) {
            known = probeScript();
            scriptAvailable = known;
            if (!known) {
                LOG.warn("util-linux script (2.35 or later, with --log-timing and --logging-format) is not installed: "
                        + "commands run unrecorded");
            }
        }
        return known;
    }

    /**
     * The log of an interactive exec (a launch's tool, which writes to the terminal, not to the log): what the pane
     * received, from the recording's raw output, without {@code script}'s header line. Left as it is when there
     * is no recording (script missing) or it was made already.
     */
    public void logFromRecording(ManagedExec exec) throws IOException {
        ManagedCommand files = files(exec);
        if (!Files.exists(files.typescriptFile())) {
            return;
        }
        try (InputStream in = Files.newInputStream(files.typescriptFile());
                OutputStream out = Files.newOutputStream(files.logFile())) {
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                // script's header line: "Script started on …"
            }
            in.transferTo(out);
        }
    }

    /**
     * The recording of an exec that ended: made now from script's files if they are there (and those removed),
     * else the one made before (a completion tried again), else none (script missing, or never started).
     */
    public Optional<Recording> finish(ManagedExec exec) throws IOException {
        ManagedCommand files = files(exec);
        Path cast = castFile(exec);
        if (Files.exists(files.timingFile()) && Files.exists(files.typescriptFile())) {
            try {
                return Optional.of(convert(exec, files, cast));
            } finally {
                Files.deleteIfExists(files.timingFile());
                Files.deleteIfExists(files.typescriptFile());
            }
        }
        Files.deleteIfExists(files.timingFile());
        Files.deleteIfExists(files.typescriptFile());
        return Files.exists(cast) ? Optional.of(new Recording(cast, sha256(cast))) : Optional.empty();
    }

    private Recording convert(ManagedExec exec, ManagedCommand files, Path cast) throws IOException {
        createPrivateDirectory(cast.getParent());
        Path partial = cast.resolveSibling(cast.getFileName() + ".partial");
        MessageDigest digest = sha256Digest();
        Asciicast.Meta meta = new Asciicast.Meta(
                redactor.mask(exec.command), exec.crqId + " " + exec.session + ":" + exec.pane, exec.startedAt);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
            Asciicast.convert(files.timingFile(), files.typescriptFile(), meta, redactor.stream(), out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, cast, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Recording(cast, HexFormat.of().formatHex(digest.digest()));
    }

    /** Hex SHA-256 of a file, streamed; null when there is no such file. */
    public static String sha256(Path file) {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot digest " + file, e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean probeScript() {
        try {
            Process process = new ProcessBuilder("script", "--help")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0 && help.contains("--log-timing") && help.contains("--logging-format");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Recordings hold whatever a command printed: only this user reads them. */
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
