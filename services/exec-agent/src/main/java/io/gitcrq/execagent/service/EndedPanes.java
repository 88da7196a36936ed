package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.ExecEnded;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.execagent.tmux.TmuxPanes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Closes an exec's tmux window once its end is committed — exit code read, log masked, recording made, ExecFinished
 * in the outbox — so that no idle shell is left per exec; unless the request asked to keep it ({@code keepPane}). Only
 * the window that still runs this exec's wrapper is closed ({@link TmuxPanes#closeEnded}): one another exec was
 * started in meanwhile is never touched. A failure to close is logged: the exec has ended all the same.
 */
@ApplicationScoped
public class EndedPanes {

    private static final Logger LOG = Logger.getLogger(EndedPanes.class);

    private final TmuxPanes panes;
    private final ExecAgentConfig config;

    public EndedPanes(TmuxPanes panes, ExecAgentConfig config) {
        this.panes = panes;
        this.config = config;
    }

    void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExecEnded ended) {
        if (ended.keepPane() || ended.logPath() == null) {
            return;
        }
        // The wrapper lies beside the log (the agent's log directory, or a launch's).
        Path logDirectory = Path.of(ended.logPath()).getParent();
        String wrapper = ManagedCommand.in(logDirectory == null ? config.logDirectory() : logDirectory, ended.execId())
                .wrapperScript()
                .toString();
        try {
            if (panes.closeEnded(ended.session(), ended.pane(), wrapper)) {
                LOG.debugf("closed the window %s:%s of exec %s", ended.session(), ended.pane(), ended.execId());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot close the window %s:%s of exec %s", ended.session(), ended.pane(), ended.execId());
        }
    }
}
