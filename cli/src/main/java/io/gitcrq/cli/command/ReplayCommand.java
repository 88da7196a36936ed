package io.gitcrq.cli.command;

import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CastPlayer;
import io.gitcrq.cli.process.CliFailure;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq replay EXEC_ID}: play back what an exec's pane showed, with its timing, from the exec-agent. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Play back the recording of an exec (what its tmux pane showed, asciicast v2) with the "
                    + "recorded timing.",
            "--dump (or --json) prints the recording itself, e.g. for asciinema play."
        },
        footer = {
            "",
            "Examples:",
            "  gitcrq replay 5f0c… --speed 2 --max-wait 1",
            "  gitcrq replay 5f0c… --dump > build.cast"
        })
public class ReplayCommand implements Callable<Integer> {

    /** asciinema's media type, which the exec-agent serves recordings as. */
    static final String ASCIICAST = "application/x-asciicast";

    @ParentCommand
    CommandContext cli;

    @Parameters(
            index = "0",
            paramLabel = "EXEC_ID",
            description = "The exec, as `gitcrq exec` or `gitcrq audit` show it.")
    String execId;

    @Option(
            names = "--speed",
            defaultValue = "1",
            paramLabel = "X",
            description = "Playback speed: 2 plays twice as fast, 0.5 half as fast (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--max-wait",
            paramLabel = "SECONDS",
            description = "Longest pause between two outputs, after --speed (default: as recorded).")
    Double maxWait;

    @Option(names = "--dump", description = "Print the recording (asciicast v2) instead of playing it.")
    boolean dump;

    private CastPlayer.Sleeper sleeper = CastPlayer.REAL;

    /** How pauses are waited: tests note them instead. */
    public void useSleeper(CastPlayer.Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new CliFailure(CliFailure.USAGE, "--speed must be a number above 0, not " + speed);
        }
        if (maxWait != null && (!(maxWait >= 0) || Double.isInfinite(maxWait))) {
            throw new CliFailure(CliFailure.USAGE, "--max-wait must be a number of seconds, 0 or more, not " + maxWait);
        }
        String cast = cli.client(Service.EXEC_AGENT)
                .getText("/execs/" + ServiceClient.segment(execId) + "/recording", ASCIICAST);
        PrintWriter out = cli.environment().out();
        if (dump || cli.printer().json()) {
            out.print(cast.endsWith("\n") || cast.isEmpty() ? cast : cast + "\n");
            out.flush();
            return 0;
        }
        Duration longest = maxWait == null ? null : Duration.ofNanos(Math.round(maxWait * 1e9));
        new CastPlayer(speed, longest, sleeper).play(cast, out);
        return 0;
    }
}
