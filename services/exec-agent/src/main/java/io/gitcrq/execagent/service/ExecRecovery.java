package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Recordings;
import io.gitcrq.execagent.repository.ExecAuditRepository;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * After a restart, settles the execs the previous run left RUNNING: those whose exit file is there have
 * finished (and are announced now); for the others nobody watches any more, so they are FAILED.
 */
@ApplicationScoped
public class ExecRecovery {

    static final String LOST = "exec-agent restarted while the command ran; its exit status is unknown";
    static final String SOURCES_LOST = "exec-agent restarted while the command ran: the source stopped with it";
    private static final Logger LOG = Logger.getLogger(ExecRecovery.class);

    private final ExecRepository execs;
    private final ExecCompletion completion;
    private final ExecAgentConfig config;
    private final Recordings recordings;
    private final ExecAuditRepository audits;

    public ExecRecovery(
            ExecRepository execs,
            ExecCompletion completion,
            ExecAgentConfig config,
            Recordings recordings,
            ExecAuditRepository audits) {
        this.execs = execs;
        this.completion = completion;
        this.config = config;
        this.recordings = recordings;
        this.audits = audits;
    }

    /** After the database is migrated, before requests are consumed or served. */
    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) {
        recover();
    }

    public void recover() {
        for (ManagedExec exec : runningExecs()) {
            ManagedCommand command = recordings.files(exec);
            settleAuditSources(exec.execId, command);
            try {
                command.discardSecrets(); // a run that started has read them already
                OptionalInt exitCode = command.exitCode();
                if (exitCode.isPresent()) {
                    completion.finished(exec.execId, exitCode.getAsInt(), command.endedAt());
                    continue;
                }
            } catch (IOException e) {
                LOG.warnf(e, "cannot read the exit status of exec %s", exec.execId);
            }
            completion.failed(exec.execId, LOST);
        }
    }

    /**
     * The exec's audit sources stopped with the previous run of the agent: what they captured before was published;
     * their state says they were cut short, and a trace nobody reads any more (it holds unmasked arguments) goes.
     */
    @Transactional
    void settleAuditSources(String execId, ManagedCommand command) {
        audits.interrupted(execId, SOURCES_LOST);
        try {
            Files.deleteIfExists(command.traceFile());
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove the trace of exec %s", execId);
        }
    }

    @Transactional
    List<ManagedExec> runningExecs() {
        return execs.running(config.host());
    }
}
