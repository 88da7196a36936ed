package io.gitcrq.cli;

import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.testsupport.files.TempTrees;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs the CLI in-process with captured output, its own environment and service URLs. */
public final class CliRunner {

    public record Result(int exitCode, String out, String err) {}

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private CliEnvironment.PasswordPrompt prompt = p -> Optional.empty();
    private Path workingDirectory = Path.of("/work/here");
    private InputStream in = InputStream.nullInputStream();

    public CliRunner() {
        env.put("GITCRQ_PASSWORD", "s3cret-pw");
        // A configuration directory of its own: never the token a developer's gitcrq login stored.
        env.put("XDG_CONFIG_HOME", TempTrees.create("gitcrq-cli-config-").toString());
        // Nothing listens on port 9 of 127.0.0.1: a service a test forgot to set up fails as unreachable.
        for (Service service : Service.values()) {
            properties.put(service.systemProperty(), "http://127.0.0.1:9");
        }
    }

    public CliRunner service(Service service, FakeService fake) {
        return property(service.systemProperty(), fake.url());
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public CliRunner property(String name, String value) {
        if (value == null) {
            properties.remove(name);
        } else {
            properties.put(name, value);
        }
        return this;
    }

    public CliRunner prompt(CliEnvironment.PasswordPrompt prompt) {
        this.prompt = prompt;
        return this;
    }

    /** What the command reads on standard input. */
    public CliRunner stdin(String text) {
        this.in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public CliRunner workingDirectory(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.copyOf(env),
                properties::get,
                prompt,
                workingDirectory,
                Duration.ofMillis(20),
                in);
        int exitCode = new GitcrqCli(environment).execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
