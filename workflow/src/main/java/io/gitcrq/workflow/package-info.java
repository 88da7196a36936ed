/**
 * miniact: runs GitHub-Actions-style workflow files on this host, one {@code run:} step at a time.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Workflow workflow = Workflow.load(path);             // or Workflow.parse(text, "stage.yml"); WorkflowException if bad
 * WorkflowEngine engine = WorkflowEngine.builder()
 *         .stepRunner(new ProcessStepRunner())        // how a step runs: exec-agent plugs in its tmux runner here
 *         .workspace(checkout)                        // github.workspace, default working directory
 *         .tempDirectory(dir)                         // per-run directory of scripts, command files, logs
 *         .parallelism(2)                             // job runs at once (default 2; 1 = one after another)
 *         .env("GITCRQ_CRQ", "CRQ-12")                // extra variables for every step
 *         .github("sha", sha)                         // extra github.* values
 *         .listener(listener)                         // live job/step start/finish callbacks
 *         .build();
 * WorkflowRun run = engine.run(workflow);             // blocking; or engine.start(workflow[, runId]) → cancel()/await()
 * }</pre>
 * The result is plain records: {@link io.gitcrq.workflow.WorkflowRun} → {@link io.gitcrq.workflow.JobRun} (one per
 * job, or per matrix combination) → {@link io.gitcrq.workflow.StepRun}, each with a
 * {@link io.gitcrq.workflow.Status} (success, failure, cancelled, skipped), outcome and conclusion, times, outputs.
 *
 * <h2>What a file may hold</h2>
 * <ul>
 *   <li>Top level: {@code name}, {@code env}, {@code defaults.run.shell|working-directory}, {@code jobs}; {@code on},
 *       {@code run-name}, {@code permissions}, {@code concurrency} are accepted and ignored.</li>
 *   <li>Jobs: {@code name}, {@code needs}, {@code if}, {@code env}, {@code defaults}, {@code outputs},
 *       {@code strategy.matrix|fail-fast|max-parallel}, {@code timeout-minutes}, {@code continue-on-error},
 *       {@code steps}; {@code runs-on}, {@code permissions}, {@code concurrency}, {@code environment} are ignored.</li>
 *   <li>Steps: {@code id}, {@code name}, {@code if}, {@code run}, {@code shell}, {@code env},
 *       {@code working-directory}, {@code continue-on-error}, {@code timeout-minutes} (fractions allowed:
 *       {@code 0.02} is 1.2 s).</li>
 *   <li>Refused before anything runs ({@link io.gitcrq.workflow.WorkflowException}, naming file, line, job and
 *       step): {@code uses:} steps (actions) and jobs (reusable workflows), {@code container}, {@code services},
 *       unknown keys, unknown or cyclic {@code needs}, duplicate step ids, bad YAML, expressions that do not parse
 *       or name an unknown context or function, {@code matrix}/{@code steps}/{@code job}/{@code strategy} in a
 *       job's {@code if}, a static matrix without combinations, Windows shells, non-positive timeouts.</li>
 * </ul>
 *
 * <h2>Semantics (as GitHub Actions)</h2>
 * <ul>
 *   <li>A job starts when all its {@code needs} are done and its {@code if} holds; the default {@code if} is
 *       {@code success()}, and an {@code if} naming none of {@code success() failure() always() cancelled()} means
 *       {@code success() && (…)}. For a job, {@code success()} is "every ancestor (needs, transitively) succeeded",
 *       {@code failure()} "some ancestor failed", {@code cancelled()} "the run was cancelled". So a skipped or
 *       failed ancestor skips a job unless its {@code if} says {@code always()}, {@code failure()}, {@code !cancelled()}….
 *       A job whose {@code if} is false is skipped (cancelled, if the run was cancelled).</li>
 *   <li>Steps: default {@code if: success()}; a step that fails (non-zero exit, timeout, an expression that does not
 *       evaluate, a malformed {@code $GITHUB_OUTPUT}) fails the job unless {@code continue-on-error} — then its
 *       outcome is failure and its conclusion success. Later steps run when their {@code if} holds:
 *       {@code failure()} and {@code always()} steps after a failure, {@code always()}/{@code cancelled()} steps after a
 *       cancellation. Steps not run are skipped — or cancelled, when the job was cancelled.</li>
 *   <li>{@code $GITHUB_OUTPUT} ({@code name=value} and {@code name<<DELIM}) gives {@code steps.<id>.outputs.<name>},
 *       and so does the older {@code ::set-output name=NAME::VALUE} printed by the step (the file wins for a name set
 *       both ways);
 *       {@code $GITHUB_ENV} sets variables for later steps of the job (and the {@code env} context);
 *       {@code $GITHUB_PATH} prepends to {@code PATH} for later steps. Env precedence: step {@code env} over
 *       {@code $GITHUB_ENV} over job {@code env} over workflow {@code env} over the engine's; the {@code GITHUB_*}
 *       and {@code RUNNER_*} variables cannot be overridden.</li>
 *   <li>Job {@code outputs} are evaluated when the job ends and read as {@code needs.<job>.outputs.<name>};
 *       {@code needs.<job>.result} is the job's conclusion. For a matrix job the result is failure if a run failed,
 *       else cancelled if one was cancelled, else skipped if all were skipped, else success; and each output is taken
 *       from the last run, in matrix order, that set it (Actions: whichever finished last).</li>
 *   <li>Expressions {@code ${{ … }}} in {@code run}, {@code env}, {@code name}, {@code if} (also without
 *       {@code ${{ }}}), {@code working-directory}, {@code shell}, {@code timeout-minutes}, {@code continue-on-error},
 *       {@code outputs}, {@code strategy} (a matrix vector or the whole matrix may be {@code ${{ fromJSON(…) }}}, e.g.
 *       from a needed job's output). Contexts: {@code github} (workspace, run_id, run_number, run_attempt, workflow,
 *       job, event_name = workflow_dispatch, plus the engine's), {@code env}, {@code matrix}, {@code strategy},
 *       {@code needs}, {@code steps}, {@code job.status}, {@code runner} (os, arch, name, temp); {@code vars},
 *       {@code secrets}, {@code inputs} are empty. Literals, {@code . [ ] .*}, {@code ! == != < <= > >= && ||} (which
 *       return an operand, so {@code a || 'default'} works), parentheses; strings compare ignoring case, mixed types
 *       compare as numbers; functions {@code success failure always cancelled contains startsWith endsWith format
 *       join toJSON fromJSON}.</li>
 *   <li>Matrix: the cross product (first key outermost), minus {@code exclude}, plus {@code include} as documented
 *       by GitHub; each combination is a job run named {@code <job> (v1, v2, …)} unless the job's {@code name}
 *       mentions the matrix. {@code fail-fast} (default true): a failed run cancels the job's other runs — queued
 *       ones never start, running ones have their current step stopped. {@code max-parallel} is honoured.</li>
 *   <li>Shells: none given is {@code bash -e {0}}, {@code bash} is {@code bash --noprofile --norc -eo pipefail {0}},
 *       {@code sh} is {@code sh -e {0}}, {@code python}, {@code pwsh}, or a custom template with {@code {0}}
 *       ({@link io.gitcrq.workflow.ShellCommand}).</li>
 *   <li>Timeouts: a step past its {@code timeout-minutes} is killed with its process tree and fails;
 *       job {@code timeout-minutes} (default 360) bounds every step's time.</li>
 * </ul>
 *
 * <h2>Ordering and determinism</h2>
 * Job runs whose needs are done are queued in file order (matrix runs in matrix order) and started as pool threads
 * free up. The result lists job runs in file and matrix order whatever the completion order, so a run's results are
 * the same at any parallelism, except where Actions itself depends on timing: which sibling matrix runs a
 * fail-fast failure (or a {@link io.gitcrq.workflow.WorkflowExecution#cancel() cancel}) still finds queued or running.
 * With {@code parallelism(1)} that too is fixed.
 *
 * <h2>Deviations from GitHub Actions</h2>
 * <ul>
 *   <li>Only {@code run:} steps; no actions, reusable workflows, containers, services, {@code hashFiles()},
 *       secrets or vars. No stage files loaded as the run reaches them either (a job or step naming a further workflow
 *       file, as {@code uses: ./.github/workflows/x.yml} would): the job graph is fixed when a run starts, since
 *       {@code needs}, {@code if:}, fail-fast and the result order are decided over all of it; a caller that wants
 *       stages runs one workflow per stage. {@code runs-on} is ignored: everything runs on this host, in one
 *       shared workspace (no checkout; jobs see each other's files).</li>
 *   <li>{@code GITHUB_ACTIONS} is not set ({@code CI=true} is), so tools do not emit Actions annotations;
 *       {@code $GITHUB_STEP_SUMMARY} exists but is not collected; of the workflow commands on stdout only
 *       {@code ::set-output} is interpreted ({@code ::error}, {@code ::warning}, {@code ::add-mask} are not).</li>
 *   <li>A job that runs out of its {@code timeout-minutes} concludes failure and runs no further steps, not even
 *       {@code always()} ones.</li>
 *   <li>A job's {@code continue-on-error} turns a failed job's conclusion into success (outcome stays failure), so
 *       {@code needs.<job>.result} is success for it.</li>
 *   <li>An {@code if:} mixing text and {@code ${{ }}} (e.g. {@code ${{ a }} && b}) is refused, where Actions would
 *       treat the resulting non-empty string as true.</li>
 *   <li>A custom shell without {@code {0}} gets the script path appended. Steps stopped by cancellation are sent
 *       SIGTERM, then SIGKILL after the runner's grace period (Actions: SIGINT, SIGTERM after 7.5 s).</li>
 *   <li>Processes that leave the step's process tree (double-forked daemons) are not killed on timeout.</li>
 *   <li>Jobs that never start (skipped, or cancelled while queued) have no steps in the result; the engine keeps each
 *       run's directory (scripts, logs) — see {@link io.gitcrq.workflow.WorkflowRun#directory()}.</li>
 * </ul>
 */
package io.gitcrq.workflow;
