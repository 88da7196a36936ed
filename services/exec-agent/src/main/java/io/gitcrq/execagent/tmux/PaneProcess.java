package io.gitcrq.execagent.tmux;

/** The tmux pane a command was started in, and the process id of the program the pane runs. */
public record PaneProcess(String paneId, long pid) {
    static PaneProcess parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 2) {
            throw new TmuxException("unexpected answer from tmux: " + line);
        }
        return new PaneProcess(parts[0], Long.parseLong(parts[1]));
    }
}
