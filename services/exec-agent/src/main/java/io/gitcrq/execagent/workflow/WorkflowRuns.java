package io.gitcrq.execagent.workflow;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqClosed;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.repository.WorkflowRepository.NewRun;
import io.gitcrq.execagent.service.CrqGate;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.idempotency.IdempotencyKeys;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.exec.WorkflowView;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.workflow.JobDefinition;
import io.gitcrq.workflow.Status;
import io.gitcrq.workflow.Workflow;
import io.gitcrq.workflow.WorkflowEngine;
import io.gitcrq.workflow.WorkflowException;
import io.gitcrq.workflow.WorkflowExecution;
import io.gitcrq.workflow.WorkflowRun;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs workflow files (miniact, module {@code workflow}) on this agent's host, each step an exec in a tmux pane
 * ({@link TmuxStepRunner}): checks and parses the workflow before anything runs (a bad one is a 400 with the engine's
 * message), records the run and audits its start, starts the engine, and records and audits the run's end when the
 * engine is done. The run's jobs and steps are recorded as they go ({@link WorkflowRecorder}).
 */
@ApplicationScoped
public class WorkflowRuns {

    /** Longest workflow text accepted. */
    public static final int MAX_WORKFLOW = 256 * 1024;
    /** How many runs a list shows unless told (and at most). */
    static final int DEFAULT_LIST = 20;

    static final int MAX_LIST = 200;
    /** What a run's status can be. */
    static final List<String> STATUSES =
            List.of(WorkflowLedger.RUNNING, Status.SUCCESS.name(), Status.FAILURE.name(), Status.CANCELLED.name());

    static final String LOST = "exec-agent restarted while the workflow ran";
    private static final Logger LOG = Logger.getLogger(WorkflowRuns.class);

    private final ExecAgentConfig config;
    private final WorkflowLedger ledger;
    private final StepExecs stepExecs;
    private final CrqGate crqs;
    private final Map<String, WorkflowExecution> executions = new ConcurrentHashMap<>();
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "workflow-waiter");
        thread.setDaemon(true);
        return thread;
    });

    private final IdempotencyKeys requestKeys;

    public WorkflowRuns(
            ExecAgentConfig config,
            WorkflowLedger ledger,
            StepExecs stepExecs,
            CrqGate crqs,
            IdempotencyKeys requestKeys) {
        this.config = config;
        this.ledger = ledger;
        this.stepExecs = stepExecs;
        this.crqs = crqs;
        this.requestKeys = requestKeys;
    }

    /** After the database is migrated: runs left RUNNING by an agent that stopped have failed. */
    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 2) StartupEvent event) {
        for (String runId : ledger.running(config.host())) {
            if (!executions.containsKey(runId)) {
                LOG.warnf("workflow run %s was left running by a previous start of the agent: failed", runId);
                ledger.failed(runId, LOST);
            }
        }
    }

    /**
     * Checks the request and the workflow, and starts the run; 400 (nothing run) for anything wrong, 404 for a CRQ not
     * known here, 409 for one no longer open ({@link CrqGate}).
     */
    public WorkflowView start(StartWorkflowRequest request, String user) {
        return start(request, user, null).run();
    }

    /** What {@link #start(StartWorkflowRequest, String, IdempotencyKey)} did: started {@code run}, or found it. */
    public record Started(WorkflowView run, boolean repeat) {}

    /**
     * As {@link #start(StartWorkflowRequest, String)}, once per idempotency key ({@code key}, may be null) of the
     * user: a repeat of the request gets the run the first try started, in whatever state it is now.
     */
    public Started start(StartWorkflowRequest request, String user, IdempotencyKey key) {
        if (request == null) {
            throw new InvalidRequestException(
                    "a body {crq, workflow | path | repo+ref?+file, session?, workspace?} is" + " required");
        }
        if (key != null) {
            Optional<WorkflowView> earlier = requestKeys.earlier(user, key).flatMap(ledger::view);
            if (earlier.isPresent()) {
                return new Started(earlier.get(), true);
            }
        }
        List<String> problems = new ArrayList<>();
        String crq = request.crq();
        if (crq == null || crq.isBlank()) {
            problems.add("crq is required");
        } else if (!CrqId.isValid(crq)) {
            problems.add("crq must be a CRQ id like CRQ-12, not '" + crq + "'");
        }
        boolean hasText = given(request.workflow());
        boolean hasPath = given(request.path());
        boolean hasRepo = given(request.repo());
        if ((hasText ? 1 : 0) + (hasPath ? 1 : 0) + (hasRepo ? 1 : 0) != 1) {
            problems.add("give one of workflow (the YAML text), path (a workflow file on " + config.host()
                    + ") or repo and file (a workflow file committed in a Git repository on " + config.host() + ")");
        } else if (hasText && request.workflow().length() > MAX_WORKFLOW) {
            problems.add("workflow is longer than " + MAX_WORKFLOW + " characters");
        } else if (hasRepo && !given(request.file())) {
            problems.add("file is required with repo: the workflow file's path in the repository, e.g."
                    + " .gitcrq/workflows/build.yml");
        }
        if (!hasRepo && (request.ref() != null || request.file() != null)) {
            problems.add("ref and file go with repo");
        }
        if (request.session() != null && !ExecOrder.isValidSession(request.session())) {
            problems.add("session must match [A-Za-z0-9_-]{1,64} (tmux does not keep '.' in session names)");
        }
        Path workspace = null;
        if (request.workspace() != null) {
            workspace = existingDirectory("workspace", request.workspace(), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        // Its steps are execs for the CRQ: only for one known here and open (404, 409), as a plain exec.
        crqs.admit(CrqId.parse(crq).toString());

        String text;
        String source;
        CommittedWorkflow committed = null;
        if (hasText) {
            text = request.workflow();
            source = request.source() == null || request.source().isBlank()
                    ? "workflow.yml"
                    : request.source().strip();
        } else if (hasPath) {
            Path file = workflowFile(request.path(), workspace);
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidRequestException(file + ": cannot read the workflow file ("
                        + e.getClass().getSimpleName() + ")");
            }
            source = file.toString();
        } else {
            committed = CommittedWorkflow.read(request.repo(), request.ref(), request.file(), MAX_WORKFLOW);
            text = committed.text();
            source = committed.source();
            if (workspace == null) {
                workspace = committed.workTree();
            }
        }
        Workflow workflow;
        try {
            workflow = Workflow.parse(text, source);
        } catch (WorkflowException invalid) {
            if (hasPath) {
                // The engine's message may quote the file: a file read by path is named with the line only.
                throw new InvalidRequestException(notAWorkflow(source, invalid.getMessage()));
            }
            throw new InvalidRequestException(invalid.getMessage());
        }

        String runId = UUID.randomUUID().toString();
        String crqId = CrqId.parse(crq).toString();
        String session = request.session() != null ? request.session() : "wf-" + runId;
        Path runDirectory = config.workflowDirectory().resolve(runId);
        try {
            createPrivateDirectories(runDirectory);
            if (workspace == null) {
                workspace = Files.createDirectories(runDirectory.resolve("workspace"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of workflow run " + runId, e);
        }
        Optional<String> earlier = ledger.started(
                new NewRun(
                        runId,
                        config.host(),
                        crqId,
                        workflow.name(),
                        source,
                        session,
                        workspace.toString(),
                        user,
                        SqlTimes.now(),
                        committed == null ? null : committed.repo().toString(),
                        committed == null ? null : committed.ref(),
                        committed == null ? null : committed.commitId()),
                workflow.jobs().stream().map(JobDefinition::id).toList(),
                text,
                sha256(text),
                key);
        if (earlier.isPresent()) {
            // A concurrent try with the key started it first: this one's directory goes, its run is the answer.
            removeUnused(runDirectory);
            return new Started(ledger.view(earlier.get()).orElseThrow(), true);
        }

        RunContext run = new RunContext(runId, crqId, session, user);
        WorkflowEngine.Builder engine = WorkflowEngine.builder()
                .stepRunner(new TmuxStepRunner(run, stepExecs))
                .workspace(workspace)
                .tempDirectory(runDirectory)
                .parallelism(config.workflowParallelism())
                .env("GITCRQ_CRQ", crqId)
                .env("GITCRQ_WORKFLOW_RUN_ID", runId)
                .github("actor", user)
                .listener(new WorkflowRecorder(ledger, runId));
        if (committed != null) {
            // As Actions: the commit the workflow is of, and the ref, in github.* and the steps' environment.
            engine.github("sha", committed.commitId()).env("GITHUB_SHA", committed.commitId());
            if (committed.fullRef() != null) {
                engine.github("ref", committed.fullRef()).env("GITHUB_REF", committed.fullRef());
            }
        }
        try {
            WorkflowExecution execution = engine.build().start(workflow, runId);
            executions.put(runId, execution);
            waiters.execute(() -> awaitEnd(runId, execution));
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot start workflow run %s", runId);
            ledger.failed(runId, "the workflow engine did not start: " + e.getMessage());
        }
        LOG.infof(
                "workflow run %s (%s) for %s started by %s in tmux session %s",
                runId, workflow.name(), crqId, user, session);
        return new Started(ledger.view(runId).orElseThrow(), false);
    }

    /** A run directory made for a run that did not start (a concurrent try's did): gone, or a warning. */
    private static void removeUnused(Path runDirectory) {
        try (Stream<Path> files = Files.walk(runDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("cannot remove the unused workflow directory %s: %s", runDirectory, e);
        }
    }

    public WorkflowView get(String runId) {
        return ledger.view(runId)
                .orElseThrow(() -> new EntityNotFoundException("no workflow run " + runId + " on " + config.host()));
    }

    /**
     * Cancels a run as Actions does ({@link WorkflowExecution#cancel()}): the running steps' execs are stopped with
     * their process trees, and only steps and jobs whose {@code if:} holds when cancelled ({@code always()},
     * {@code cancelled()}) still run. The run is CANCELLED once they are done; until then it shows who cancelled it.
     * 404 for an unknown run, 409 for one that has ended; cancelling a run being cancelled changes nothing.
     */
    public WorkflowView cancel(String runId, String user) {
        WorkflowView run = get(runId);
        WorkflowExecution execution = executions.get(runId);
        if (!WorkflowLedger.RUNNING.equals(run.status())) {
            throw ended(run);
        }
        if (execution == null) {
            throw new ConflictException("workflow run " + runId + " is not running in this agent");
        }
        if (ledger.cancelRequested(runId, user)) {
            LOG.infof("workflow run %s cancelled by %s", runId, user);
            execution.cancel();
        }
        WorkflowView now = get(runId);
        if (now.cancelledBy() == null) {
            throw ended(now); // it ended just before
        }
        return now;
    }

    /**
     * A CRQ that closed stops its running runs as a cancel does (steps that ask to run after a cancellation, such as
     * {@code if: always()} clean-ups, still run); after the CRQ's new status is committed, off the consumer's thread.
     */
    void onCrqClosed(@Observes(during = TransactionPhase.AFTER_SUCCESS) CrqClosed closed) {
        waiters.execute(() -> stopRunsOf(closed));
    }

    private void stopRunsOf(CrqClosed closed) {
        for (WorkflowView run : ledger.list(closed.crqId(), WorkflowLedger.RUNNING, MAX_LIST)) {
            WorkflowExecution execution = executions.get(run.runId());
            if (execution != null && ledger.cancelRequested(run.runId(), closed.stoppedBy())) {
                LOG.infof("workflow run %s stopped: %s is %s", run.runId(), closed.crqId(), closed.status());
                execution.cancel();
            }
        }
    }

    private static ConflictException ended(WorkflowView run) {
        return new ConflictException("workflow run " + run.runId() + " has ended: " + run.status());
    }

    /** Runs newest first, at most {@code limit}: of a CRQ (or all, null) with a status (or any, null); 400 if bad. */
    public List<WorkflowView> list(String crq, String status, String limit) {
        List<String> problems = new ArrayList<>();
        if (crq != null && !CrqId.isValid(crq)) {
            problems.add("crq must be a CRQ id like CRQ-12, not '" + crq + "'");
        }
        String wanted =
                status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            problems.add("status must be one of " + String.join(", ", STATUSES) + ", not '" + status + "'");
        }
        int count = DEFAULT_LIST;
        if (limit != null) {
            try {
                count = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 1 || count > MAX_LIST) {
                problems.add("limit must be a number from 1 to " + MAX_LIST + ", not '" + limit + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return ledger.list(crq == null ? null : CrqId.parse(crq).toString(), wanted, count);
    }

    private void awaitEnd(String runId, WorkflowExecution execution) {
        try {
            WorkflowRun result = execution.await();
            ledger.finished(runId, result);
            LOG.infof("workflow run %s ended: %s", runId, result.status());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "workflow run %s failed in the engine", runId);
            try {
                ledger.failed(runId, "the workflow engine failed: " + e.getMessage());
            } catch (RuntimeException again) {
                LOG.errorf(again, "cannot record the end of workflow run %s", runId);
            }
        } finally {
            executions.remove(runId);
        }
    }

    /**
     * The workflow file a request names, if it is a regular file inside one of the directories workflow files are
     * read from ({@link #workflowRoots}), symbolic links followed: a path outside them is refused (403) whether or
     * not it exists, so that the answer tells nothing about files elsewhere.
     */
    private Path workflowFile(String path, Path workspace) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("path is not a path");
        }
        if (!file.isAbsolute()) {
            if (workspace == null) {
                throw new InvalidRequestException(
                        "path must be absolute (or relative to a workspace given), not '" + path + "'");
            }
            file = workspace.resolve(file);
        }
        file = file.normalize();
        List<Path> roots = workflowRoots();
        Path checked = file;
        if (roots.stream().noneMatch(checked::startsWith)) {
            throw outsideRoots(file, roots);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidRequestException("path " + file + " is not a file on " + config.host());
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new InvalidRequestException("path " + file + " is not a file on " + config.host());
        }
        if (roots.stream().map(WorkflowRuns::realPath).noneMatch(real::startsWith)) {
            throw outsideRoots(file, roots);
        }
        return file;
    }

    /**
     * Where {@code POST /workflows {path}} may read workflow files: the launches' worktrees, the workflow runs'
     * directory, every project's repository, and the directories of {@code gitcrq.exec.workflow-roots}.
     */
    private List<Path> workflowRoots() {
        List<Path> roots = new ArrayList<>();
        roots.add(config.worktreesDirectory().toAbsolutePath().normalize());
        roots.add(config.workflowDirectory().toAbsolutePath().normalize());
        config.projects().values().stream()
                .map(p -> Path.of(p).toAbsolutePath().normalize())
                .forEach(roots::add);
        config.workflowRoots().orElse(List.of()).stream()
                .filter(r -> !r.isBlank())
                .map(r -> Path.of(r.strip()).toAbsolutePath().normalize())
                .forEach(roots::add);
        return roots;
    }

    private static Path realPath(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    private NotPermittedException outsideRoots(Path file, List<Path> roots) {
        return new NotPermittedException("path " + file + " is outside the directories workflow files are read from on "
                + config.host() + " (gitcrq.exec.workflow-roots: "
                + roots.stream().map(Path::toString).collect(Collectors.joining(", ")) + ")");
    }

    /** The engine's verdict on a file read by path, without any of its words: the file and the line. */
    private static String notAWorkflow(String source, String message) {
        Matcher line = Pattern.compile("^" + Pattern.quote(source) + ":(\\d+):").matcher(message);
        return source + (line.find() ? ":" + line.group(1) : "") + ": not a valid workflow (the file's content is"
                + " not quoted back; send the workflow's text to see the engine's message)";
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    private static Path existingDirectory(String field, String value, List<String> problems) {
        try {
            Path path = Path.of(value);
            if (!path.isAbsolute()) {
                problems.add(field + " must be an absolute path, not '" + value + "'");
            } else if (!Files.isDirectory(path)) {
                problems.add(field + " " + value + " is not an existing directory");
            } else {
                return path.normalize();
            }
        } catch (InvalidPathException e) {
            problems.add(field + " is not a path: " + value);
        }
        return null;
    }

    /** Scripts and command files may hold whatever a step wrote: only this user reads them. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(dir);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        // Runs going on are left to their panes; a restart records them as failed (onStart).
        waiters.shutdownNow();
    }
}
