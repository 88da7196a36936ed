package io.gitcrq.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step, resolved and ready to run: expressions evaluated, the script written to {@link #scriptFile}, the
 * {@code $GITHUB_OUTPUT}/{@code $GITHUB_ENV}/{@code $GITHUB_PATH}/{@code $GITHUB_STEP_SUMMARY} files created (empty)
 * in {@link #stepDirectory}. A {@link StepRunner} runs {@link #command} in {@link #workingDirectory} with {@link #env}
 * added to its own environment, for at most {@link #timeout}; the engine reads the command files afterwards.
 *
 * @param jobId            the job's id
 * @param jobName          the job run's display name, e.g. {@code test (a, 1)}
 * @param matrix           the job run's matrix values (empty without a matrix)
 * @param stepIndex        position in the job, from 0
 * @param stepId           the step's {@code id:}, or null
 * @param stepName         the step's display name
 * @param displayName      {@code <jobName> / <stepName>}
 * @param script           the script, expressions interpolated
 * @param shell            the {@code shell:} in effect (null: the default, {@code bash -e {0}})
 * @param command          the argument vector: the shell with {@code {0}} replaced by {@link #scriptFile}
 * @param scriptFile       where the script was written
 * @param workingDirectory the directory to run in (the workspace, or {@code working-directory:} resolved in it)
 * @param env              variables to set for the step (workflow, job, {@code $GITHUB_ENV} and step {@code env:},
 *                         {@code GITHUB_*}/{@code RUNNER_*}/{@code CI}; {@code PATH} when {@code $GITHUB_PATH} added to it)
 * @param timeout          how long the step may run ({@code timeout-minutes}, bounded by what is left of the job's)
 * @param outputFile       {@code $GITHUB_OUTPUT}
 * @param envFile          {@code $GITHUB_ENV}
 * @param pathFile         {@code $GITHUB_PATH}
 * @param stepDirectory    a directory of this step's own, where a runner may keep its log
 */
public record StepInvocation(
        String jobId,
        String jobName,
        Map<String, Object> matrix,
        int stepIndex,
        String stepId,
        String stepName,
        String displayName,
        String script,
        String shell,
        List<String> command,
        Path scriptFile,
        Path workingDirectory,
        Map<String, String> env,
        Duration timeout,
        Path outputFile,
        Path envFile,
        Path pathFile,
        Path stepDirectory) {}
