package io.gitcrq.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium, driven by playwright-core through {@code src/test/browser/driver.mjs} (one JSON command
 * a line): the tests act on and read the pages a user sees, logged in with HTTP basic credentials. Screenshots go to
 * {@code target/screenshots}, kept as test output.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process node;
    private final BufferedWriter commands;
    private final BufferedReader answers;
    private final Path screenshots;
    private final Path driverLog;

    private Browser(Process node, Path screenshots, Path driverLog) {
        this.node = node;
        this.commands = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        this.screenshots = screenshots;
        this.driverLog = driverLog;
    }

    /** Starts Chromium logged in as {@code user} (development users: the password is the name). */
    static Browser open(Path repoRoot, String user, String password) throws IOException {
        Path tools = repoRoot.resolve(".gitcrq-run/tools");
        if (!Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("playwright-core is not installed in " + tools
                    + ": deploy/prerequisites.sh installs it (./gitcrq test runs it first)");
        }
        Path stderr = Files.createTempFile("gitcrq-browser-", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        "node",
                        repoRoot.resolve("e2e/src/test/browser/driver.mjs").toString())
                .redirectError(stderr.toFile());
        pb.environment().put("GITCRQ_TOOLS_DIR", tools.toString());
        pb.environment().put("GITCRQ_BROWSER_USER", user);
        pb.environment().put("GITCRQ_BROWSER_PASSWORD", password);
        return new Browser(pb.start(), repoRoot.resolve("e2e/target/screenshots"), stderr);
    }

    /** Opens {@code url}; its HTTP status. */
    int open(String url) {
        return call(command("goto").put("url", url)).asInt();
    }

    /** Waits until an element matching {@code selector} (and containing {@code text}, if not null) is on the page. */
    void waitFor(String selector, String text, Duration timeout) {
        ObjectNode c = command("waitFor").put("selector", selector).put("timeoutMs", timeout.toMillis());
        if (text != null) {
            c.put("text", text);
        }
        call(c);
    }

    String text(String selector) {
        return call(command("text").put("selector", selector)).asText();
    }

    List<String> texts(String selector) {
        List<String> out = new ArrayList<>();
        call(command("texts").put("selector", selector)).forEach(n -> out.add(n.asText()));
        return out;
    }

    int count(String selector) {
        return call(command("count").put("selector", selector)).asInt();
    }

    void click(String selector) {
        call(command("click").put("selector", selector));
    }

    /** Cuts the browser off the network (open event streams fail) or lets it back on. */
    void offline(boolean offline) {
        call(command("offline").put("value", offline));
    }

    /** The value of a JavaScript expression evaluated in the page. */
    JsonNode eval(String expression) {
        return call(command("eval").put("expression", expression));
    }

    /** What the page logged to its console (and its uncaught errors) since the last call. */
    List<String> consoleMessages() {
        List<String> out = new ArrayList<>();
        call(command("console")).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A full-page screenshot, {@code target/screenshots/<name>.png}; its path. */
    Path screenshot(String name) {
        return Path.of(call(command("screenshot")
                        .put("path", screenshots.resolve(name + ".png").toString()))
                .asText());
    }

    private static ObjectNode command(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private synchronized JsonNode call(ObjectNode command) {
        try {
            commands.write(JSON.writeValueAsString(command));
            commands.newLine();
            commands.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("the browser driver ended (exit " + exitCode() + "): " + driverLog());
            }
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new AssertionError(command.path("op").asText() + " " + command + ": "
                        + answer.path("error").asText());
            }
            return answer.path("value");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String driverLog() {
        try {
            return Files.readString(driverLog);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String exitCode() {
        return node.isAlive() ? "none yet" : String.valueOf(node.exitValue());
    }

    @Override
    public void close() {
        try {
            if (node.isAlive()) {
                call(command("close"));
            }
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
            Files.deleteIfExists(driverLog);
        } catch (RuntimeException | InterruptedException | IOException e) {
            node.destroyForcibly();
        }
    }
}
