package io.gitcrq.execagent.audit;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.audit.sources.AuditSource;
import io.gitcrq.audit.sources.AuditSourceUnavailableException;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.CommandCgroup;
import io.gitcrq.audit.sources.StraceFollowing;
import io.gitcrq.execagent.domain.AuditSelection;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.audit.TracerSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The audit sources running around one exec ({@link ExecAudits} starts and stops them). Starting and stopping
 * exclude each other: a source attaching when the exec ends is stopped once it started, never left running.
 */
public final class ExecAudit {

    private static final Logger LOG = Logger.getLogger(ExecAudit.class);

    private final AuditContext context;
    private final AuditSelection selection;
    private final List<String> traced;
    private final ManagedCommand command;
    private final Duration attachWait;
    private final String attachedBecause;
    private final Map<String, AuditSource> started = new LinkedHashMap<>();
    private List<String> tracer = List.of();
    private CommandCgroup cgroup;
    private volatile String ebpfUnavailable;
    private boolean stopped;
    private volatile boolean attachedLate;

    /**
     * @param traced          the chosen kinds that trace the command's processes with strace (not {@code process}
     *                        when it captures with eBPF)
     * @param attachedBecause when a source is to trace the command's processes but cannot follow it from its start,
     *                        why: then it attaches, and the command waits for it at most {@code attachWait}
     */
    ExecAudit(
            AuditContext context,
            AuditSelection selection,
            List<String> traced,
            ManagedCommand command,
            Duration attachWait,
            String attachedBecause) {
        this.context = context;
        this.selection = selection;
        this.traced = List.copyOf(traced);
        this.command = command;
        this.attachedBecause = traced.isEmpty() ? null : attachedBecause;
        this.attachWait = this.attachedBecause != null ? attachWait : null;
    }

    public AuditContext context() {
        return context;
    }

    public AuditSelection selection() {
        return selection;
    }

    ManagedCommand command() {
        return command;
    }

    /** The chosen kinds that trace the command's processes with strace. */
    List<String> traced() {
        return traced;
    }

    /** The {@code process} source captures with strace where eBPF was wanted: its summary is to say why. */
    void ebpfUnavailable(String why) {
        ebpfUnavailable = why;
    }

    /** How long the command waits for its tracer to attach; null when none is to. */
    public Duration attachWait() {
        return attachWait;
    }

    /**
     * Makes the command's own cgroup (once; {@code name} names it), which it joins before it runs and which goes when
     * the audit stops. Null when the audit stopped already.
     */
    synchronized CommandCgroup ownCgroup(String name) throws AuditSourceUnavailableException {
        if (stopped) {
            return null;
        }
        if (cgroup == null) {
            cgroup = CommandCgroup.create(name);
        }
        return cgroup;
    }

    /** The cgroup the command's shell joins before it becomes the command; null when it has none. */
    public synchronized CommandCgroup cgroup() {
        return cgroup;
    }

    /** What the command runs under: the strace of the source that follows it, if one started (empty: none). */
    public synchronized List<String> tracer() {
        return tracer;
    }

    /**
     * The command's environment: the exec's own variables, and what the sources inject (the {@code http} source's
     * proxy), which win.
     */
    public synchronized Map<String, String> environment(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        started.values().forEach(source -> all.putAll(source.environment()));
        return all;
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    /** Starts a source unless the exec's audit stopped already (false then). */
    synchronized boolean start(AuditSource source, AuditTarget target, Consumer<AuditRecord> sink) throws IOException {
        if (stopped) {
            return false;
        }
        source.start(target, sink);
        started.put(source.kind(), source);
        if (source instanceof StraceFollowing following) {
            tracer = following.straceCommand();
        }
        return true;
    }

    /**
     * A record on its way out: an attached tracer's summary says why it attached rather than followed the command
     * from its start, and whether the command ran before it attached (the command's own note,
     * {@link ManagedCommand#attachMissed}); a strace process summary where eBPF was wanted says why not; it keeps the
     * time the source made it.
     */
    AuditRecord annotate(AuditRecord record) {
        AuditPayload annotated = record.typed();
        if (attachWait != null && annotated instanceof TracerSummary summary) {
            annotated = summary.attached(attachedBecause, attachedLate);
        }
        String why = ebpfUnavailable;
        if (why != null
                && annotated instanceof ProcessSummary summary
                && ProcessSummary.STRACE.equals(summary.mechanism())) {
            annotated = summary.ebpfUnavailable(why);
        }
        if (annotated == record.typed()) {
            return record;
        }
        return new AuditRecord(
                record.kind(), record.occurredAt(), AuditRecord.of(annotated).payload(), annotated);
    }

    /**
     * Stops every source, the last started first (each delivers what it still held, then its summary), and removes
     * the handshake's files. Once only.
     */
    void stop() {
        List<AuditSource> sources;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            attachedLate = attachWait != null && command.attachMissed();
            sources = new ArrayList<>(started.values());
        }
        Collections.reverse(sources);
        for (AuditSource source : sources) {
            try {
                source.stop();
            } catch (RuntimeException e) {
                LOG.errorf(e, "audit source %s of exec %s did not stop cleanly", source.kind(), context.execId());
            }
        }
        CommandCgroup own;
        synchronized (this) {
            own = cgroup;
        }
        if (own != null) {
            try {
                own.close();
            } catch (IOException e) {
                LOG.warnf("exec %s: %s (something it started still runs)", context.execId(), e.getMessage());
            }
        }
        if (attachWait != null) {
            try {
                command.removeHandshake();
            } catch (IOException e) {
                LOG.warnf(e, "cannot remove the handshake files of exec %s", context.execId());
            }
        }
    }
}
