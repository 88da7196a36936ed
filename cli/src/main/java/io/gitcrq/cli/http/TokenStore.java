package io.gitcrq.cli.http;

import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The token {@code gitcrq login} keeps for later commands: {@code $XDG_CONFIG_HOME/gitcrq/token}, else
 * {@code ~/.config/gitcrq/token}; the file readable by its owner only (0600), in a directory only its owner can
 * enter (0700).
 */
public final class TokenStore {

    public static final String FILE_NAME = "token";

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path file;

    public TokenStore(Path file) {
        this.file = file;
    }

    /** Where the token of this environment's user lives. */
    public static TokenStore of(CliEnvironment environment) {
        String xdg = environment.variable("XDG_CONFIG_HOME");
        // The XDG rule: a relative XDG_CONFIG_HOME is ignored.
        Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : home(environment).resolve(".config");
        return new TokenStore(config.resolve("gitcrq").resolve(FILE_NAME));
    }

    private static Path home(CliEnvironment environment) {
        String home = environment.variable("HOME");
        if (home == null || home.isBlank()) {
            home = environment.systemProperties().apply("user.home");
        }
        if (home == null || home.isBlank()) {
            throw new CliFailure(CliFailure.USAGE, "no home directory: set HOME or XDG_CONFIG_HOME");
        }
        return Path.of(home);
    }

    public Path file() {
        return file;
    }

    /** The stored token; empty when there is none. */
    public Optional<String> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot read the stored token " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores {@code token}, replacing any stored before, never readable by anyone else even for a moment. */
    public void write(String token) {
        Path directory = file.getParent();
        try {
            boolean posix =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
            } else {
                Files.createDirectories(directory);
            }
            AtomicFiles.replacePrivate(file, token + "\n");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot store the token in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the stored token; whether there was one. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "cannot remove the stored token " + file + ": " + e.getMessage(), e);
        }
    }
}
