package io.gitcrq.execagent.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One command this agent was asked to run, and what became of it. Rows are inserted by {@code ExecRepository}. */
@Entity
@Table(name = "managed_exec")
public class ManagedExec extends PanacheEntityBase {
    @Id
    @Column(name = "exec_id")
    public String execId;

    @Column(nullable = false)
    public String host;

    @Column(nullable = false)
    public String session;

    @Column(nullable = false)
    public String pane;

    @Column(nullable = false)
    public String command;

    @Column(name = "crq_id", nullable = false)
    public String crqId;

    public String branch;

    public String cwd;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecStatus status;

    @Column(name = "exit_code")
    public Integer exitCode;

    /** Why it failed or was refused. */
    public String reason;

    @Column(name = "log_path")
    public String logPath;

    @Column(name = "output_sha256")
    public String outputSha256;

    /** The asciicast v2 recording, once the command ended (none for a refused exec, or without script). */
    @Column(name = "recording_path")
    public String recordingPath;

    @Column(name = "recording_sha256")
    public String recordingSha256;

    /** How long the command may run before it is killed (workflow steps), or null. */
    @Column(name = "timeout_ms")
    public Long timeoutMs;

    /** Why the agent killed the command: {@code timeout} or {@code cancel}; null when it ended by itself. */
    @Column(name = "stopped_by")
    public String stoppedBy;

    /** The workflow run this exec is a step of, or null. */
    @Column(name = "workflow_run_id")
    public String workflowRunId;

    /** The step, as {@code <job> / <step>}, or null. */
    @Column(name = "workflow_step")
    public String workflowStep;

    /** The launch profile the exec ran (null for a plain exec or a workflow step). */
    public String profile;

    /** Where its recording goes, when a launch profile chose (null: the agent's recordings directory). */
    @Column(name = "recordings_dir")
    public String recordingsDir;

    /** Whether its tmux window stays open (a shell in it) once the command ended; else it is closed then. */
    @Column(name = "keep_pane", nullable = false)
    public boolean keepPane;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    /** When it was handed to tmux; null while accepted and not started (see {@code ExecRecovery}). */
    @Column(name = "launched_at")
    public Instant launchedAt;

    @Column(name = "ended_at")
    public Instant endedAt;
}
