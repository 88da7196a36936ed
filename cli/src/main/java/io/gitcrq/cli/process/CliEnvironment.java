package io.gitcrq.cli.process;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the CLI takes from the process it runs in. Tests build one with their own writers, variables and
 * service URLs so that commands run in-process without touching the real console or environment.
 *
 * @param out              where command results go
 * @param err              where errors go
 * @param env              environment variables ({@code GITCRQ_USER}, {@code GITCRQ_PASSWORD}, service URLs)
 * @param systemProperties system property lookup; wins over {@code env} for service URLs
 * @param passwordPrompt   asks for a password when {@code GITCRQ_PASSWORD} is not set
 * @param workingDirectory base for relative local paths (e.g. {@code repo watch ../demo})
 * @param pollInterval     how often {@code exec --wait} asks the exec-agent for the result
 * @param in               standard input (git hooks read the refs being pushed from it)
 */
public record CliEnvironment(
        PrintWriter out,
        PrintWriter err,
        Map<String, String> env,
        UnaryOperator<String> systemProperties,
        PasswordPrompt passwordPrompt,
        Path workingDirectory,
        Duration pollInterval,
        InputStream in) {

    /** An environment with nothing on standard input. */
    public CliEnvironment(
            PrintWriter out,
            PrintWriter err,
            Map<String, String> env,
            UnaryOperator<String> systemProperties,
            PasswordPrompt passwordPrompt,
            Path workingDirectory,
            Duration pollInterval) {
        this(
                out,
                err,
                env,
                systemProperties,
                passwordPrompt,
                workingDirectory,
                pollInterval,
                InputStream.nullInputStream());
    }

    /** Reads a password without echo; empty when there is no terminal to ask on. */
    @FunctionalInterface
    public interface PasswordPrompt {
        Optional<char[]> readPassword(String prompt);
    }

    public static CliEnvironment system() {
        Charset charset = Charset.defaultCharset();
        return new CliEnvironment(
                new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true),
                System.getenv(),
                System::getProperty,
                prompt -> {
                    Console console = System.console();
                    return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
                },
                Path.of("").toAbsolutePath(),
                Duration.ofMillis(200),
                System.in);
    }

    public String variable(String name) {
        return env.get(name);
    }
}
