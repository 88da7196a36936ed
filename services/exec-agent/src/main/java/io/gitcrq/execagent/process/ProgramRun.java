package io.gitcrq.execagent.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived program the agent runs for itself (tmux, git): from an argument list, never a shell line, with no
 * input, its output read whole. For programs that answer in a few lines: stdout is read before stderr.
 *
 * @param exitCode the program's exit status
 */
public record ProgramRun(int exitCode, String stdout, String stderr) {

    /** Thrown when the program cannot be started, does not end in time, or the wait is interrupted. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code command} with {@code environment} changes (a null value removes a variable). */
    public static ProgramRun run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws Failure {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        String what = command.get(0) + (command.size() > 1 ? " " + command.get(1) : "");
        try {
            Process process = builder.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failure(what + " did not answer within " + timeoutSeconds + " s", null);
            }
            return new ProgramRun(process.exitValue(), stdout, stderr);
        } catch (IOException e) {
            throw new Failure("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while running " + what, e);
        }
    }
}
