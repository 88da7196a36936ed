package io.gitcrq.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.ClassDataArchive;
import io.gitcrq.deploy.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code gitcrq} CLI jar, run as a process against one platform, as a user would run it. */
final class Cli {

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /**
     * The JVM options {@code ./gitcrq} runs the CLI with (its {@code CLI_JVM}): a call is a short-lived JVM, and on two
     * cores the platform's services wait while a default JVM (C2 and G1) spends a third more CPU starting it. Like
     * {@code ./gitcrq}, it maps a class-data archive of the CLI's classes: here the one the first call records at its
     * exit ({@link ClassDataArchive}) instead of {@code ./gitcrq}'s trained one.
     */
    private static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");

    private final Path jar;
    private final Platform platform;

    Cli(Path repoRoot, Platform platform) {
        this.jar = repoRoot.resolve("cli/target/gitcrq-cli.jar");
        this.platform = platform;
    }

    /** Runs {@code gitcrq --user <user> args…}; the dev users' password is their name. */
    Result as(String user, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(JVM_OPTIONS);
        ClassDataArchive.Use archive =
                ClassDataArchive.beside(jar, jar.toString()).use();
        command.addAll(archive.jvmOptions());
        command.addAll(List.of("-jar", jar.toString(), "--user", user));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("GITCRQ_PASSWORD", user);
        env.put("GITCRQ_CRQ_URL", platform.url("crq-service"));
        env.put("GITCRQ_GIT_WATCHER_URL", platform.url("git-watcher"));
        env.put("GITCRQ_MERGE_BOT_URL", platform.url("merge-bot"));
        env.put("GITCRQ_AUDIT_URL", platform.url("audit-collector"));
        env.put("GITCRQ_EXEC_AGENT_URL", platform.url("exec-agent"));
        env.put("GITCRQ_MCP_SERVER_URL", platform.url("mcp-server"));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            boolean finished = p.waitFor(3, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            if (archive.recording() != null) {
                archive.recording().ended(finished);
            }
            if (!finished) {
                throw new AssertionError("gitcrq " + String.join(" ", args) + " did not finish");
            }
            return new Result(
                    p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result ok(String user, String... args) {
        Result r = as(user, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("gitcrq " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
