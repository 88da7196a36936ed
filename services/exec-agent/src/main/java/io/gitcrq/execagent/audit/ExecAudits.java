package io.gitcrq.execagent.audit;

import io.gitcrq.audit.sources.AuditSource;
import io.gitcrq.audit.sources.AuditSources;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.CommandCgroup;
import io.gitcrq.audit.sources.EbpfProcessSource;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.AuditSelection;
import io.gitcrq.execagent.domain.ExecEnded;
import io.gitcrq.execagent.domain.ExecOrder;
import io.gitcrq.execagent.process.DaemonThreads;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.model.audit.NetworkFlow;
import io.gitcrq.model.audit.ProcessExec;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts each exec's audit sources ({@link AuditPlan}) when it starts and stops them when it ends, however it ends
 * (its {@link ExecEnded}: exit, timeout, cancellation, failure to start). What they capture goes out through the
 * {@link AuditPublisher}. A source that cannot start never keeps the command from running: that is audited
 * ({@value io.gitcrq.model.audit.AuditSourceFailed#KIND}) and the command runs.
 * <p>
 * Every source starts before the command's pane, so it sees the command from its first moment (and the {@code http}
 * proxy's address can be put into its environment). {@code process} has the kernel report the command's execs and
 * exits where the host allows it ({@link AuditPlan#processCapture()}: eBPF, in the command's own cgroup, which its
 * shell joins before it becomes the command, as for the command-scoped {@code network} source). Those that trace its
 * processes with strace ({@code syscall}, and {@code process} elsewhere) follow it: the pane's shell starts the command under their strace ({@link ExecAudit#tracer}), which has the kernel
 * stop the tree's processes at the traced calls only ({@code --seccomp-bpf}; attached, strace stops them at every
 * system call) and writes what the source reads. Where this host's strace cannot
 * ({@link AuditSources#followUnavailable}, checked once) they attach instead: once the command's shell wrote its pid, while it waits for them, and then let it
 * go ({@link ManagedCommand#signalGo}); their summaries then say why ({@link io.gitcrq.model.audit.TracerSummary#attachedBecause}).
 */
@ApplicationScoped
public class ExecAudits {

    private static final Logger LOG = Logger.getLogger(ExecAudits.class);
    private static final long PID_POLL_MILLIS = 20;
    /** A command's cgroup that nothing runs in is left alone this long (its command may be about to join it). */
    private static final Duration STALE_AFTER = Duration.ofMinutes(2);

    private final AuditPlan plan;
    private final AuditLedger ledger;
    private final AuditPublisher publisher;
    private final Duration attachTimeout;
    private final Map<String, ExecAudit> running = new ConcurrentHashMap<>();
    /** Attaching and stopping take a while (a tracer's attach, a file watch's last events): never on the caller. */
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("exec-audit"));

    public ExecAudits(AuditPlan plan, AuditLedger ledger, AuditPublisher publisher, ExecAgentConfig config) {
        this.plan = plan;
        this.ledger = ledger;
        this.publisher = publisher;
        this.attachTimeout = config.audit().attachTimeout();
    }

    /**
     * Before any command runs: what an agent killed with commands running left behind — their cgroups that nothing
     * runs in any more and the netfilter rules that singled out their packets — goes.
     */
    void removeStale(@Observes StartupEvent start) {
        if (plan.networkScopedToCommand()) {
            int removed = CommandCgroup.removeStale(STALE_AFTER);
            if (removed > 0) {
                LOG.infof("removed %d cgroups of commands an earlier run of this agent left behind", removed);
            }
        }
    }

    /**
     * Starts the exec's sources but those that are to attach to its processes; the answer says what the command
     * needs (its environment, what it runs under, whether it waits for a tracer).
     */
    public ExecAudit open(ExecOrder order, ManagedCommand command) {
        AuditSelection selection = plan.orDefaults(order.audit());
        ProcessCapture capture = selection.kinds().contains(ProcessExec.KIND) ? plan.processCapture() : null;
        List<String> traced = selection.kinds().stream()
                .filter(AuditSelection.TRACING::contains)
                .filter(kind -> !(kind.equals(ProcessExec.KIND) && capture.ebpf()))
                .toList();
        Optional<String> cannotFollow = traced.isEmpty() ? Optional.empty() : AuditSources.followUnavailable();
        cannotFollow.ifPresent(why -> LOG.warnf(
                "exec %s: its tracer attaches, every system call of its processes" + " stopping, since %s",
                order.execId(), why));
        ExecAudit audit = new ExecAudit(
                new AuditContext(
                        order.execId(),
                        order.host(),
                        order.crqId(),
                        command.logFile().toString()),
                selection,
                traced,
                command,
                attachTimeout,
                cannotFollow.orElse(null));
        if (selection.isEmpty()) {
            return audit;
        }
        running.put(order.execId(), audit);
        if (capture != null && capture.ebpfUnavailable() != null) {
            audit.ebpfUnavailable(capture.ebpfUnavailable());
        }
        for (String kind : selection.kinds()) {
            if (kind.equals(NetworkFlow.KIND) && plan.networkScopedToCommand()) {
                startInOwnCgroup(
                        audit,
                        order,
                        AuditSources.create(kind, command.auditDirectory()),
                        plan.target(kind, order.cwd(), selection));
            } else if (kind.equals(ProcessExec.KIND) && capture.ebpf()) {
                startCapturingProcesses(audit, order, capture, cannotFollow.isEmpty());
            } else if (!AuditSelection.TRACING.contains(kind)) {
                start(
                        audit,
                        AuditSources.create(kind, command.auditDirectory()),
                        plan.target(kind, order.cwd(), selection));
            } else if (cannotFollow.isEmpty()) {
                start(audit, AuditSources.following(kind, command.traceFile(), order.cwd()), AuditTarget.none());
            }
        }
        return audit;
    }

    /**
     * The {@code process} source with eBPF, in the command's own cgroup; where it cannot start and the host falls back
     * ({@code mechanism=auto}), strace follows the command instead (when this host's strace can), and its summary says
     * why.
     */
    private void startCapturingProcesses(
            ExecAudit audit, ExecOrder order, ProcessCapture capture, boolean straceCanFollow) {
        String kind = ProcessExec.KIND;
        String why;
        try {
            CommandCgroup cgroup = audit.ownCgroup(order.execId());
            if (cgroup == null) {
                return; // the exec ended already
            }
            why = tryStart(audit, new EbpfProcessSource(), AuditTarget.none().withCgroup(cgroup.path()));
        } catch (IOException e) {
            why = e.getMessage();
        }
        if (why == null) {
            return;
        }
        if (!capture.fallsBack() || !straceCanFollow) {
            failed(audit, kind, why);
            return;
        }
        LOG.warnf("exec %s: the process source uses strace, since eBPF could not start: %s", order.execId(), why);
        audit.ebpfUnavailable(why);
        start(audit, AuditSources.following(kind, audit.command().traceFile(), order.cwd()), AuditTarget.none());
    }

    /**
     * A source that needs the command's own cgroup (which its shell joins before it becomes the command,
     * {@link ExecAudit#cgroup()}): without one it cannot start.
     */
    private void startInOwnCgroup(ExecAudit audit, ExecOrder order, AuditSource source, AuditTarget target) {
        CommandCgroup cgroup;
        try {
            cgroup = audit.ownCgroup(order.execId());
        } catch (IOException e) {
            failed(audit, source.kind(), e.getMessage());
            return;
        }
        if (cgroup != null) {
            start(audit, source, target.withCgroup(cgroup.path()));
        }
    }

    /** The command's pane started: a tracer that is to attach does as soon as the command's pid is known. */
    public void attach(ExecAudit audit) {
        if (audit.attachWait() != null) {
            workers.execute(() -> attachTracer(audit));
        }
    }

    private void attachTracer(ExecAudit audit) {
        ManagedCommand command = audit.command();
        long deadline = System.nanoTime() + attachTimeout.toNanos();
        OptionalLong pid = command.commandPid();
        try {
            while (pid.isEmpty() && !audit.isStopped() && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(PID_POLL_MILLIS);
                pid = command.commandPid();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String kind : audit.traced()) {
            if (pid.isPresent()) {
                start(
                        audit,
                        AuditSources.create(kind, audit.command().auditDirectory()),
                        AuditTarget.pid(pid.getAsLong()));
            } else if (!audit.isStopped()) {
                failed(audit, kind, "the command's shell wrote no pid within " + attachTimeout.toMillis() + " ms");
            }
        }
        try {
            command.signalGo();
        } catch (Exception e) {
            LOG.warnf(
                    "exec %s: cannot let the command go on (%s); it runs on after its wait",
                    audit.context().execId(), e.toString());
        }
    }

    private void start(ExecAudit audit, AuditSource source, AuditTarget target) {
        String why = tryStart(audit, source, target);
        if (why != null) {
            failed(audit, source.kind(), why);
        }
    }

    /** Starts the source; null when it started (or the exec ended already), else why it could not. */
    private String tryStart(ExecAudit audit, AuditSource source, AuditTarget target) {
        String kind = source.kind();
        String execId = audit.context().execId();
        try {
            if (audit.start(source, target, record -> publisher.offer(audit.context(), audit.annotate(record)))) {
                ledger.started(execId, kind);
                LOG.debugf("exec %s: audit source %s started", execId, kind);
            }
            return null;
        } catch (Exception e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private void failed(ExecAudit audit, String kind, String reason) {
        LOG.warnf(
                "exec %s: audit source %s could not start, the command runs without it: %s",
                audit.context().execId(), kind, reason);
        try {
            ledger.failed(audit.context(), kind, reason);
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "exec %s: cannot record that audit source %s failed",
                    audit.context().execId(),
                    kind);
        }
    }

    void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExecEnded ended) {
        ExecAudit audit = running.remove(ended.execId());
        if (audit != null) {
            workers.execute(audit::stop);
        }
    }

    /** The agent stops: its execs' sources stop with it (their tools must not outlive it). */
    @PreDestroy
    void stop() {
        running.values().forEach(ExecAudit::stop);
        running.clear();
        workers.shutdownNow();
    }
}
