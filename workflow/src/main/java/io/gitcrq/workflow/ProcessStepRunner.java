package io.gitcrq.workflow;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a step as a subprocess of this JVM: {@link StepInvocation#command()}, stdin from {@code /dev/null}, stdout and
 * stderr together into {@code log.txt} in the step's directory. On timeout or cancellation it sends SIGTERM to the
 * process and all its descendants, then SIGKILL to whatever is left after a grace period.
 */
public final class ProcessStepRunner implements StepRunner {

    /** The log file a step's output goes to, inside {@link StepInvocation#stepDirectory()}. */
    public static final String LOG_FILE = "log.txt";

    private final Duration killGrace;

    /** A runner that gives a killed step 2 seconds between SIGTERM and SIGKILL. */
    public ProcessStepRunner() {
        this(Duration.ofSeconds(2));
    }

    public ProcessStepRunner(Duration killGrace) {
        this.killGrace = killGrace;
    }

    @Override
    public StepResult run(StepInvocation invocation) {
        Path log = invocation.stepDirectory().resolve(LOG_FILE);
        if (!Files.isDirectory(invocation.workingDirectory())) {
            return StepResult.failedToStart(
                    "working directory " + invocation.workingDirectory() + " does not exist", null);
        }
        ProcessBuilder builder = new ProcessBuilder(invocation.command())
                .directory(invocation.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(invocation.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return StepResult.failedToStart(
                    "cannot start " + invocation.command().get(0) + ": " + e.getMessage(), log);
        }
        try {
            long millis = Math.max(1, invocation.timeout().toMillis());
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return StepResult.exited(process.exitValue(), log);
            }
            killTree(process);
            return StepResult.timedOut(exitCode(process), log);
        } catch (InterruptedException e) {
            killTree(process);
            return StepResult.cancelled(exitCode(process), log);
        }
    }

    private static Integer exitCode(Process process) {
        return process.isAlive() ? null : process.exitValue();
    }

    /** SIGTERM to the process and its descendants, SIGKILL after the grace period to whatever is left. */
    private void killTree(Process process) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        collect(process.toHandle(), all);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + killGrace.toNanos();
        while (System.nanoTime() < deadline && all.stream().anyMatch(ProcessStepRunner::running)) {
            collect(process.toHandle(), all);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        collect(process.toHandle(), all);
        all.stream().filter(ProcessStepRunner::running).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Alive and not a zombie (an orphan that died but that init has not reaped yet still counts as alive in Java). */
    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + handle.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
        }
    }

    private static void collect(ProcessHandle root, Set<ProcessHandle> into) {
        if (root.isAlive()) {
            into.add(root);
        }
        List<ProcessHandle> descendants = new ArrayList<>();
        root.descendants().forEach(descendants::add);
        into.addAll(descendants);
    }
}
