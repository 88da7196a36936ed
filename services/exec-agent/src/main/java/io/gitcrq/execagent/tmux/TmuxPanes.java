package io.gitcrq.execagent.tmux;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.process.ProgramRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's tmux server ({@code tmux -L <gitcrq.exec.tmux-socket>}): a pane is the window named P in
 * session S, both created when missing. tmux is always run with an argument list, never a shell line.
 * <p>
 * How a command gets into a pane: it is started as the pane's own program, never typed into a shell that
 * is already there. Typing ({@code send-keys}) races with the shell starting up, loses keystrokes, and
 * leaves the exit status to be scraped from the screen. So a new window is created with the program
 * ({@code new-session}/{@code new-window … bash <wrapper>}), and an existing window's pane, idle since its
 * last exec (the agent never starts two in one pane), is restarted with it ({@code respawn-pane -k}). The
 * program is given to tmux as separate arguments, which tmux executes without a shell.
 */
@ApplicationScoped
public class TmuxPanes {

    private static final String PANE_FORMAT = "#{pane_id} #{pane_pid}";
    private static final long TIMEOUT_SECONDS = 15;

    private final String socket;

    public TmuxPanes(ExecAgentConfig config) {
        this.socket = config.tmuxSocket();
    }

    /**
     * Runs {@code program} in window {@code window} of session {@code session}. Synchronized: two creations
     * of one session would otherwise race, and the second fail as a duplicate.
     */
    public synchronized PaneProcess start(String session, String window, List<String> program) {
        if (!hasSession(session)) {
            List<String> args = new ArrayList<>(List.of(
                    "new-session",
                    "-d",
                    "-s",
                    session,
                    "-n",
                    window,
                    "-x",
                    "200",
                    "-y",
                    "50",
                    "-P",
                    "-F",
                    PANE_FORMAT));
            args.addAll(program);
            return PaneProcess.parse(tmux(args));
        }
        Optional<String> windowId = findWindow(session, window);
        if (windowId.isEmpty()) {
            // "=S:" is session S exactly (not a prefix of another name), next free window index.
            List<String> args = new ArrayList<>(
                    List.of("new-window", "-d", "-t", "=" + session + ":", "-n", window, "-P", "-F", PANE_FORMAT));
            args.addAll(program);
            return PaneProcess.parse(tmux(args));
        }
        String paneId = tmux(List.of("display-message", "-p", "-t", windowId.get(), "#{pane_id}"))
                .trim();
        List<String> args = new ArrayList<>(List.of("respawn-pane", "-k", "-t", paneId));
        args.addAll(program);
        tmux(args);
        return PaneProcess.parse(tmux(List.of("display-message", "-p", "-t", paneId, PANE_FORMAT)));
    }

    /**
     * The pane of window {@code window} in session {@code session} while its program is still the one started as
     * {@code bash <wrapper>} and alive — after a restart, the command of an exec that may still run there.
     */
    public synchronized Optional<PaneProcess> runningWrapper(String session, String window, String wrapper) {
        if (!hasSession(session)) {
            return Optional.empty(); // also when the tmux server is gone
        }
        Optional<String> windowId = findWindow(session, window);
        if (windowId.isEmpty()) {
            return Optional.empty();
        }
        String line = tmux(List.of(
                        "display-message",
                        "-p",
                        "-t",
                        windowId.get(),
                        "#{pane_id} #{pane_pid} #{pane_dead}\t#{pane_start_command}"))
                .trim();
        int tab = line.indexOf('\t');
        if (tab < 0) {
            return Optional.empty();
        }
        String[] pane = line.substring(0, tab).split(" ");
        String startCommand = line.substring(tab + 1);
        if (pane.length != 3 || !"0".equals(pane[2]) || !startCommand.contains(wrapper)) {
            return Optional.empty();
        }
        PaneProcess process = new PaneProcess(pane[0], Long.parseLong(pane[1]));
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)
                ? Optional.of(process)
                : Optional.empty();
    }

    /**
     * Closes window {@code window} of session {@code session} when its pane is still the one started as
     * {@code bash <wrapper>} — an exec whose command ended, its shell idle there — and answers whether it did. A window
     * that another exec runs in by now (respawned with its own wrapper) is left alone: a pane is never taken from a
     * command that runs. The session goes with its last window.
     */
    public synchronized boolean closeEnded(String session, String window, String wrapper) {
        if (!hasSession(session)) {
            return false;
        }
        Optional<String> windowId = findWindow(session, window);
        if (windowId.isEmpty()) {
            return false;
        }
        String startCommand = tmux(List.of("display-message", "-p", "-t", windowId.get(), "#{pane_start_command}"));
        if (!startCommand.contains(wrapper)) {
            return false;
        }
        tmux(List.of("kill-window", "-t", windowId.get()));
        return true;
    }

    private boolean hasSession(String session) {
        return run(List.of("has-session", "-t", "=" + session)).exitCode() == 0;
    }

    /**
     * The window's id ({@code @n}), found by its exact name: a target {@code S:P} would read a numeric P as
     * a window index and a short P as a prefix of a longer name.
     */
    private Optional<String> findWindow(String session, String window) {
        for (String line : tmux(List.of("list-windows", "-t", "=" + session, "-F", "#{window_id}\t#{window_name}"))
                .split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0 && line.substring(tab + 1).equals(window)) {
                return Optional.of(line.substring(0, tab));
            }
        }
        return Optional.empty();
    }

    private String tmux(List<String> args) {
        ProgramRun result = run(args);
        if (result.exitCode() != 0) {
            throw new TmuxException("tmux " + args.get(0) + " failed (" + result.exitCode() + "): "
                    + result.stderr().trim());
        }
        return result.stdout();
    }

    private ProgramRun run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(args);
        // Started from inside someone's tmux, the client would otherwise talk to that server, not ours.
        Map<String, String> outsideTmux = new HashMap<>();
        outsideTmux.put("TMUX", null);
        outsideTmux.put("TMUX_PANE", null);
        try {
            return ProgramRun.run(command, outsideTmux, TIMEOUT_SECONDS);
        } catch (ProgramRun.Failure e) {
            throw new TmuxException(e.getMessage(), e);
        }
    }
}
