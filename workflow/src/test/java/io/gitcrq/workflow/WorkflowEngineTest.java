package io.gitcrq.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bash subprocesses writing real files; nothing of the shell is mocked. */
class WorkflowEngineTest {

    @TempDir
    Path workspace;

    @TempDir
    Path temp;

    private WorkflowEngine engine(int parallelism, WorkflowListener listener) {
        return WorkflowEngine.builder()
                .stepRunner(new ProcessStepRunner(Duration.ofMillis(500)))
                .workspace(workspace)
                .tempDirectory(temp)
                .parallelism(parallelism)
                .env("GITCRQ_CRQ", "CRQ-7")
                .listener(listener)
                .build();
    }

    private WorkflowRun run(String yaml) {
        return engine(2, null).run(Workflow.parse(yaml, "test.yml"));
    }

    private String read(String relative) throws IOException {
        return Files.readString(workspace.resolve(relative)).strip();
    }

    private static JobRun job(WorkflowRun run, String name) {
        Optional<JobRun> job = run.job(name);
        assertThat(job)
                .as(
                        "job run '%s' in %s",
                        name, run.jobs().stream().map(JobRun::name).toList())
                .isPresent();
        return job.get();
    }

    @Test
    void buildThenTestReadsTheVersionBuildPutInItsOutputs() throws Exception {
        Files.createDirectories(workspace.resolve("sub"));
        List<String> events = new CopyOnWriteArrayList<>();
        WorkflowListener listener = new WorkflowListener() {
            @Override
            public void jobStarted(String jobId, String jobName, java.util.Map<String, Object> matrix) {
                events.add("start " + jobName);
            }

            @Override
            public void stepStarted(StepInvocation invocation) {
                events.add("step " + invocation.displayName());
            }

            @Override
            public void jobFinished(JobRun job) {
                events.add("end " + job.name() + " " + job.status().actionsName());
            }
        };
        Path file = workspace.resolve("stage.yml");
        Files.writeString(file, """
                name: stage
                env:
                  GREETING: hello
                jobs:
                  build:
                    outputs:
                      version: ${{ steps.ver.outputs.version }}
                      notes: ${{ steps.ver.outputs.notes }}
                    steps:
                      - name: Compute version
                        id: ver
                        run: |
                          echo "version=1.4.${GITHUB_RUN_ID}" >> "$GITHUB_OUTPUT"
                          { echo "notes<<EOF"; echo "line one"; echo "line two"; echo "EOF"; } >> "$GITHUB_OUTPUT"
                          echo "FROM_BUILD=carried" >> "$GITHUB_ENV"
                          mkdir -p tools && printf '#!/bin/sh\\necho hello from tools\\n' > tools/hello && chmod +x tools/hello
                          echo "$PWD/tools" >> "$GITHUB_PATH"
                      - run: echo "$FROM_BUILD ${{ env.FROM_BUILD }} $GREETING $GITCRQ_CRQ" > build.txt
                      - run: hello > hello.txt
                  test:
                    needs: build
                    env:
                      VERSION: ${{ needs.build.outputs.version }}
                    steps:
                      - run: |
                          echo "testing $VERSION" > tested.txt
                          echo "${{ needs.build.outputs.notes }}" | wc -l > notes-lines.txt
                          echo "${{ needs.build.result }} ${{ job.status }}" > result.txt
                          pwd > pwd.txt
                        working-directory: sub
                """);
        WorkflowRun run = engine(2, listener).start(Workflow.load(file), "42").await();

        assertThat(run.status()).isEqualTo(Status.SUCCESS);
        assertThat(run.runId()).isEqualTo("42");
        assertThat(run.jobs()).extracting(JobRun::name).containsExactly("build", "test");
        JobRun build = job(run, "build");
        assertThat(build.outputs()).containsEntry("version", "1.4.42").containsEntry("notes", "line one\nline two");
        StepRun ver = build.step("ver").orElseThrow();
        assertThat(ver.name()).isEqualTo("Compute version");
        assertThat(ver.exitCode()).isZero();
        assertThat(ver.outputs()).containsEntry("version", "1.4.42");
        assertThat(ver.log()).exists();
        assertThat(ver.startedAt()).isBeforeOrEqualTo(ver.finishedAt());
        assertThat(build.steps().get(1).name())
                .isEqualTo("Run echo \"$FROM_BUILD ${{ env.FROM_BUILD }} $GREETING $GITCRQ_CRQ\" > build.txt");
        assertThat(read("build.txt")).isEqualTo("carried carried hello CRQ-7");
        assertThat(read("hello.txt")).isEqualTo("hello from tools");
        assertThat(read("sub/tested.txt")).isEqualTo("testing 1.4.42");
        assertThat(read("sub/notes-lines.txt")).isEqualTo("2");
        assertThat(read("sub/result.txt")).isEqualTo("success success");
        assertThat(read("sub/pwd.txt"))
                .isEqualTo(workspace.resolve("sub").toRealPath().toString());
        JobRun test = job(run, "test");
        assertThat(test.startedAt()).isAfterOrEqualTo(build.finishedAt());
        assertThat(events)
                .containsSubsequence(
                        "start build",
                        "step build / Compute version",
                        "end build success",
                        "start test",
                        "end test success");
    }

    @Test
    void aFailingStepSkipsOrdinaryStepsButNotFailureAndAlwaysSteps() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  ci:
                    steps:
                      - run: echo ok > first.txt
                      - id: broken
                        continue-on-error: false
                        run: |
                          echo partial > partial.txt
                          exit 3
                          echo never > never.txt
                      - name: ordinary
                        run: echo ran > ordinary.txt
                      - name: on failure
                        if: failure()
                        run: echo "${{ steps.broken.outcome }} ${{ job.status }}" > failure.txt
                      - name: always
                        if: ${{ always() }}
                        run: echo always > always.txt
                      - name: implicit success
                        if: true
                        run: echo ran > implicit.txt
                """);
        JobRun ci = job(run, "ci");
        assertThat(run.status()).isEqualTo(Status.FAILURE);
        assertThat(ci.status()).isEqualTo(Status.FAILURE);
        assertThat(ci.steps())
                .extracting(StepRun::status)
                .containsExactly(
                        Status.SUCCESS, Status.FAILURE, Status.SKIPPED, Status.SUCCESS, Status.SUCCESS, Status.SKIPPED);
        assertThat(ci.steps().get(1).exitCode()).isEqualTo(3);
        assertThat(ci.steps().get(2).exitCode()).isNull();
        assertThat(read("partial.txt")).isEqualTo("partial");
        assertThat(read("failure.txt")).isEqualTo("failure failure");
        assertThat(read("always.txt")).isEqualTo("always");
        assertThat(workspace.resolve("never.txt")).doesNotExist();
        assertThat(workspace.resolve("ordinary.txt")).doesNotExist();
        assertThat(workspace.resolve("implicit.txt")).doesNotExist();
    }

    @Test
    void continueOnErrorKeepsTheJobGoing() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  ci:
                    steps:
                      - id: flaky
                        continue-on-error: true
                        run: exit 1
                      - run: echo "${{ steps.flaky.outcome }}/${{ steps.flaky.conclusion }}" > seen.txt
                      - name: pipefail only with an explicit bash
                        run: false | true
                      - id: piped
                        shell: bash
                        continue-on-error: ${{ 1 == 1 }}
                        run: false | true
                      - shell: sh
                        run: echo "sh ${{ steps.piped.outcome }}" > sh.txt
                      - shell: bash --noprofile --norc -c 'echo custom "$0" > custom.txt' {0}
                        run: echo unused
                """);
        JobRun ci = job(run, "ci");
        assertThat(ci.status()).isEqualTo(Status.SUCCESS);
        StepRun flaky = ci.step("flaky").orElseThrow();
        assertThat(flaky.outcome()).isEqualTo(Status.FAILURE);
        assertThat(flaky.conclusion()).isEqualTo(Status.SUCCESS);
        assertThat(flaky.exitCode()).isEqualTo(1);
        assertThat(read("seen.txt")).isEqualTo("failure/success");
        assertThat(ci.steps().get(2).status()).isEqualTo(Status.SUCCESS);
        assertThat(ci.step("piped").orElseThrow().outcome()).isEqualTo(Status.FAILURE);
        assertThat(read("sh.txt")).isEqualTo("sh failure");
        assertThat(read("custom.txt")).startsWith("custom " + temp).endsWith("script.sh");
    }

    @Test
    void aStepPastItsTimeoutIsKilledWithWhatItStarted() throws Exception {
        long start = System.nanoTime();
        WorkflowRun run = run("""
                jobs:
                  slow:
                    steps:
                      - id: sleepy
                        timeout-minutes: 0.02
                        run: |
                          sleep 30 &
                          echo $! > child.pid
                          wait
                          echo finished > finished.txt
                      - if: failure()
                        run: echo "${{ steps.sleepy.outcome }}" > after-timeout.txt
                """);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        JobRun slow = job(run, "slow");
        StepRun sleepy = slow.step("sleepy").orElseThrow();
        assertThat(seconds).isLessThan(10);
        assertThat(sleepy.timedOut()).isTrue();
        assertThat(sleepy.outcome()).isEqualTo(Status.FAILURE);
        assertThat(sleepy.error()).contains("the step exceeded its timeout-minutes (0.02 min)");
        assertThat(Duration.between(sleepy.startedAt(), sleepy.finishedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1100));
        assertThat(slow.status()).isEqualTo(Status.FAILURE);
        assertThat(read("after-timeout.txt")).isEqualTo("failure");
        assertThat(workspace.resolve("finished.txt")).doesNotExist();
        long childPid = Long.parseLong(read("child.pid"));
        assertThat(ProcessHandle.of(childPid).filter(ProcessStepRunner::running))
                .isEmpty();
    }

    @Test
    void aJobPastItsTimeoutFailsAndRunsNothingMore() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  slow:
                    timeout-minutes: 0.02
                    steps:
                      - run: sleep 30
                      - if: always()
                        run: touch after.txt
                """);
        JobRun slow = job(run, "slow");
        assertThat(slow.status()).isEqualTo(Status.FAILURE);
        assertThat(slow.error()).contains("the job exceeded its timeout-minutes (0.02 min)");
        assertThat(slow.steps()).extracting(StepRun::status).containsExactly(Status.FAILURE, Status.SKIPPED);
        assertThat(slow.steps().get(0).timedOut()).isTrue();
        assertThat(workspace.resolve("after.txt")).doesNotExist();
    }

    @Test
    void matrixRunsEachCombinationWithExcludeAndInclude() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  test:
                    strategy:
                      matrix:
                        os: [a, b]
                        n: [1, 2]
                        exclude:
                          - os: b
                            n: 2
                        include:
                          - os: a
                            extra: x
                    outputs:
                      last: ${{ steps.w.outputs.combo }}
                    steps:
                      - id: w
                        run: |
                          mkdir -p out
                          echo "${{ matrix.os }} ${{ matrix.n }} ${{ matrix.extra }} ${{ strategy.job-index }}/${{ strategy.job-total }}" > out/${{ matrix.os }}-${{ matrix.n }}.txt
                          echo "combo=${{ matrix.os }}${{ matrix.n }}" >> "$GITHUB_OUTPUT"
                  named:
                    name: Named ${{ matrix.os }}
                    needs: test
                    strategy:
                      matrix:
                        os: ${{ fromJSON('["p", "q"]') }}
                    steps:
                      - run: echo "${{ needs.test.outputs.last }}" > out/named-${{ matrix.os }}.txt
                """);
        assertThat(run.status()).isEqualTo(Status.SUCCESS);
        assertThat(run.jobs())
                .extracting(JobRun::name)
                .containsExactly("test (a, 1, x)", "test (a, 2, x)", "test (b, 1)", "Named p", "Named q");
        assertThat(run.runsOf("test"))
                .extracting(JobRun::matrix)
                .first()
                .isEqualTo(java.util.Map.of("os", "a", "n", 1.0, "extra", "x"));
        try (var files = Files.list(workspace.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a-1.txt", "a-2.txt", "b-1.txt", "named-p.txt", "named-q.txt");
        }
        assertThat(read("out/a-1.txt")).isEqualTo("a 1 x 0/3");
        assertThat(read("out/a-2.txt")).isEqualTo("a 2 x 1/3");
        assertThat(read("out/b-1.txt")).isEqualTo("b 1  2/3");
        // A matrix job's outputs: the last run (in matrix order) that set each one.
        assertThat(read("out/named-p.txt")).isEqualTo("b1");
    }

    @Test
    void failFastCancelsTheOtherMatrixRuns() throws Exception {
        long start = System.nanoTime();
        WorkflowRun run = run("""
                jobs:
                  test:
                    strategy:
                      matrix:
                        n: [1, 2, 3]
                    steps:
                      - run: |
                          if [ "${{ matrix.n }}" = 1 ]; then sleep 0.3; exit 1; fi
                          sleep 30
                          touch finished-${{ matrix.n }}.txt
                      - if: always()
                        run: echo "${{ job.status }} ${{ cancelled() }}" > always-${{ matrix.n }}.txt
                      - run: touch plain-${{ matrix.n }}.txt
                """);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        assertThat(run.status()).isEqualTo(Status.FAILURE);
        JobRun one = job(run, "test (1)");
        JobRun two = job(run, "test (2)");
        JobRun three = job(run, "test (3)");
        assertThat(one.status()).isEqualTo(Status.FAILURE);
        assertThat(two.status()).isEqualTo(Status.CANCELLED);
        assertThat(two.steps())
                .extracting(StepRun::status)
                .containsExactly(Status.CANCELLED, Status.SUCCESS, Status.CANCELLED);
        assertThat(three.status()).isEqualTo(Status.CANCELLED);
        assertThat(three.steps()).isEmpty();
        assertThat(read("always-1.txt")).isEqualTo("failure false");
        assertThat(read("always-2.txt")).isEqualTo("cancelled true");
        assertThat(workspace.resolve("finished-2.txt")).doesNotExist();
        assertThat(workspace.resolve("plain-2.txt")).doesNotExist();
        assertThat(workspace.resolve("always-3.txt")).doesNotExist();
    }

    @Test
    void withoutFailFastEveryMatrixRunRuns() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  test:
                    strategy:
                      fail-fast: false
                      max-parallel: 1
                      matrix:
                        n: [1, 2, 3]
                    steps:
                      - run: |
                          touch ran-${{ matrix.n }}.txt
                          [ "${{ matrix.n }}" != 1 ]
                """);
        assertThat(run.runsOf("test"))
                .extracting(JobRun::status)
                .containsExactly(Status.FAILURE, Status.SUCCESS, Status.SUCCESS);
        assertThat(workspace.resolve("ran-3.txt")).exists();
    }

    @Test
    void jobsAfterAFailedJobFollowTheirIf() throws Exception {
        WorkflowRun run = engine(1, null).run(Workflow.parse("""
                jobs:
                  a:
                    steps:
                      - run: exit 1
                  b:
                    needs: a
                    steps:
                      - run: touch b.txt
                  report:
                    needs: a
                    if: always()
                    steps:
                      - run: echo "${{ needs.a.result }}" > report.txt
                  on-failure:
                    needs: b
                    if: failure()
                    steps:
                      - run: echo "${{ needs.b.result }}" > on-failure.txt
                  after-report:
                    needs: report
                    steps:
                      - run: touch after-report.txt
                  independent:
                    steps:
                      - run: touch independent.txt
                """, "test.yml"));
        assertThat(run.status()).isEqualTo(Status.FAILURE);
        assertThat(run.jobs())
                .extracting(JobRun::jobId, JobRun::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", Status.FAILURE),
                        org.assertj.core.groups.Tuple.tuple("b", Status.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("report", Status.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("on-failure", Status.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("after-report", Status.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("independent", Status.SUCCESS));
        assertThat(read("report.txt")).isEqualTo("failure");
        assertThat(read("on-failure.txt")).isEqualTo("skipped");
        assertThat(workspace.resolve("b.txt")).doesNotExist();
        assertThat(workspace.resolve("after-report.txt")).doesNotExist();
        assertThat(workspace.resolve("independent.txt")).exists();
        assertThat(job(run, "b").steps()).isEmpty();
    }

    @Test
    void cancellingARunStopsItsStepsAndSparesAlwaysJobs() throws Exception {
        WorkflowExecution execution = engine(2, null).start(Workflow.parse("""
                jobs:
                  long:
                    steps:
                      - run: sleep 30
                  next:
                    needs: long
                    steps:
                      - run: touch next.txt
                  cleanup:
                    needs: long
                    if: always()
                    steps:
                      - run: echo "${{ needs.long.result }}" > cleanup.txt
                """, "test.yml"));
        Thread.sleep(500);
        execution.cancel();
        WorkflowRun run = execution.await(10, TimeUnit.SECONDS);
        assertThat(run).isNotNull();
        assertThat(run.status()).isEqualTo(Status.CANCELLED);
        assertThat(run.jobs())
                .extracting(JobRun::status)
                .containsExactly(Status.CANCELLED, Status.CANCELLED, Status.SUCCESS);
        assertThat(read("cleanup.txt")).isEqualTo("cancelled");
        assertThat(workspace.resolve("next.txt")).doesNotExist();
    }

    @Test
    void afterACancelOnlyStepsWhoseIfHoldsWhenCancelledRun() throws Exception {
        WorkflowExecution execution = engine(1, null).start(Workflow.parse("""
                jobs:
                  work:
                    steps:
                      - run: |
                          touch started.txt
                          sleep 30
                      - if: cancelled()
                        run: echo "${{ job.status }}" > on-cancel.txt
                      - if: always()
                        run: echo "${{ cancelled() }} ${{ success() }} ${{ failure() }}" > always.txt
                      - if: "!cancelled()"
                        run: touch not-cancelled.txt
                      - run: touch later.txt
                      - if: failure()
                        run: touch on-failure.txt
                """, "test.yml"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(workspace.resolve("started.txt")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        execution.cancel();
        WorkflowRun run = execution.await(10, TimeUnit.SECONDS);
        assertThat(run).isNotNull();
        assertThat(run.status()).isEqualTo(Status.CANCELLED);
        assertThat(job(run, "work").steps())
                .extracting(StepRun::status)
                .containsExactly(
                        Status.CANCELLED,
                        Status.SUCCESS,
                        Status.SUCCESS,
                        Status.CANCELLED,
                        Status.CANCELLED,
                        Status.CANCELLED);
        assertThat(read("on-cancel.txt")).isEqualTo("cancelled");
        assertThat(read("always.txt")).isEqualTo("true false false");
        for (String never : List.of("not-cancelled.txt", "later.txt", "on-failure.txt")) {
            assertThat(workspace.resolve(never)).as(never).doesNotExist();
        }
    }

    @Test
    void stepFailuresTheEngineFindsAreReported() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  ci:
                    steps:
                      - id: missing-dir
                        working-directory: does/not/exist
                        continue-on-error: true
                        run: 'true'
                      - id: bad-json
                        continue-on-error: true
                        run: echo "${{ fromJSON('{oops') }}"
                      - id: bad-output
                        run: echo "no equals sign" >> "$GITHUB_OUTPUT"
                """);
        JobRun ci = job(run, "ci");
        assertThat(ci.step("missing-dir").orElseThrow().error()).contains("does not exist");
        assertThat(ci.step("missing-dir").orElseThrow().conclusion()).isEqualTo(Status.SUCCESS);
        assertThat(ci.step("bad-json").orElseThrow().error()).contains("fromJSON");
        StepRun badOutput = ci.step("bad-output").orElseThrow();
        assertThat(badOutput.exitCode()).isZero();
        assertThat(badOutput.status()).isEqualTo(Status.FAILURE);
        assertThat(badOutput.error()).contains("expected name=value");
        assertThat(ci.status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void theOlderSetOutputCommandSetsAStepOutputThatALaterJobReads() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  plan:
                    outputs:
                      targets: ${{ steps.p.outputs.targets }}
                      both: ${{ steps.p.outputs.both }}
                    steps:
                      - id: p
                        run: |
                          echo '::set-output name=targets::["a","b"]'
                          echo '::set-output name=both::from-command'
                          echo "both=from-file" >> "$GITHUB_OUTPUT"
                          echo '::set-output name=lines::one%0Atwo%25'
                  build:
                    needs: plan
                    strategy:
                      matrix:
                        target: ${{ fromJSON(needs.plan.outputs.targets) }}
                    steps:
                      - run: echo "target ${{ matrix.target }}"
                """);
        JobRun plan = job(run, "plan");
        assertThat(plan.outputs()).containsEntry("targets", "[\"a\",\"b\"]").containsEntry("both", "from-file");
        assertThat(plan.step("p").orElseThrow().outputs()).containsEntry("lines", "one\ntwo%");
        assertThat(run.runsOf("build").stream().map(JobRun::conclusion))
                .containsExactly(Status.SUCCESS, Status.SUCCESS);
    }

    @Test
    void aDynamicMatrixFromANeededJobAndAnExperimentalRunAllowedToFail() throws Exception {
        WorkflowRun run = run("""
                jobs:
                  plan:
                    outputs:
                      matrix: ${{ steps.p.outputs.matrix }}
                    steps:
                      - id: p
                        run: |
                          echo 'matrix={"v": [1, 2], "include": [{"v": 2, "experimental": true}]}' >> "$GITHUB_OUTPUT"
                          { echo "MULTI<<END"; echo "a"; echo "b"; echo "END"; } >> "$GITHUB_ENV"
                      - run: printf '%s' "$MULTI" > multi.txt
                  build:
                    needs: plan
                    continue-on-error: ${{ matrix.experimental == true }}
                    strategy:
                      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
                    steps:
                      - run: |
                          touch built-${{ matrix.v }}.txt
                          [ "${{ matrix.v }}" = 1 ]
                  after:
                    needs: build
                    steps:
                      - run: echo "${{ needs.build.result }}" > after.txt
                """);
        assertThat(read("multi.txt")).isEqualTo("a\nb");
        assertThat(run.jobs())
                .extracting(JobRun::name)
                .containsExactly("plan", "build (1)", "build (2, true)", "after");
        JobRun experimental = job(run, "build (2, true)");
        assertThat(experimental.outcome()).isEqualTo(Status.FAILURE);
        assertThat(experimental.conclusion()).isEqualTo(Status.SUCCESS);
        assertThat(workspace.resolve("built-1.txt")).exists();
        assertThat(workspace.resolve("built-2.txt")).exists();
        assertThat(read("after.txt")).isEqualTo("success");
        assertThat(run.status()).isEqualTo(Status.SUCCESS);
    }
}
