package io.gitcrq.execagent.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The end of an exec: its row and the events announcing it change in one transaction, so an exec is
 * reported FINISHED if and only if ExecFinished and its audit record are published.
 */
@ApplicationScoped
public class ExecCompletion {

    public static final String KIND_FAILED = "exec-failed";
    private static final Logger LOG = Logger.getLogger(ExecCompletion.class);

    private final ExecRepository execs;
    private final Outbox outbox;

    public ExecCompletion(ExecRepository execs, Outbox outbox) {
        this.execs = execs;
        this.outbox = outbox;
    }

    /** The command exited with {@code exitCode}; an exec already ended is left as it is. */
    @Transactional
    public void finished(String execId, int exitCode, Instant endedAt) {
        ManagedExec exec = execs.lockedById(execId).filter(e -> e.status == ExecStatus.RUNNING).orElse(null);
        if (exec == null) {
            return;
        }
        exec.status = ExecStatus.FINISHED;
        exec.exitCode = exitCode;
        exec.endedAt = endedAt.truncatedTo(ChronoUnit.MICROS);
        exec.outputSha256 = sha256(Path.of(exec.logPath));
        outbox.publish(new ExecFinished(exec.execId, exec.host, exec.crqId, exec.session, exec.pane, exitCode,
                exec.startedAt, exec.endedAt, exec.logPath, exec.outputSha256));
        ObjectNode payload = describe(exec).put("exitCode", exitCode).put("outputSha256", exec.outputSha256);
        outbox.publish(new AuditCaptured(exec.host, exec.crqId, AuditCaptured.KIND_EXEC, exec.endedAt, payload));
        LOG.infof("exec %s in %s:%s for %s exited with %d", execId, exec.session, exec.pane, exec.crqId, exitCode);
    }

    /**
     * The exit status will never be known (tmux refused to start it, the pane went away, the agent restarted):
     * FAILED with the reason, and audited as such, since the command may have run in part.
     */
    @Transactional
    public void failed(String execId, String reason) {
        ManagedExec exec = execs.lockedById(execId).filter(e -> e.status == ExecStatus.RUNNING).orElse(null);
        if (exec == null) {
            return;
        }
        exec.status = ExecStatus.FAILED;
        exec.reason = reason;
        exec.endedAt = ExecStarter.now();
        exec.outputSha256 = sha256(Path.of(exec.logPath));
        ObjectNode payload = describe(exec).put("reason", reason).put("outputSha256", exec.outputSha256);
        outbox.publish(new AuditCaptured(exec.host, exec.crqId, KIND_FAILED, exec.endedAt, payload));
        LOG.warnf("exec %s in %s:%s for %s failed: %s", execId, exec.session, exec.pane, exec.crqId, reason);
    }

    private static ObjectNode describe(ManagedExec exec) {
        return EventCodec.mapper().createObjectNode()
                .put("execId", exec.execId)
                .put("command", exec.command)
                .put("cwd", exec.cwd)
                .put("session", exec.session)
                .put("pane", exec.pane)
                .put("branch", exec.branch)
                .put("requestedBy", exec.requestedBy)
                .put("startedAt", exec.startedAt.toString())
                .put("endedAt", exec.endedAt.toString())
                .put("logPath", exec.logPath);
    }

    /** Hex SHA-256 of the log, streamed (output can be large); null when there is no log. */
    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest " + file, e);
        }
    }
}
