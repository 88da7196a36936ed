package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.cli.process.CliFailure;
import java.util.List;

/**
 * Runs gitcrq's git hooks without the CLI's command parser: git starts a JVM for every commit and push, and
 * building picocli's whole command tree took most of a hook call (bench P4). The hook scripts that
 * {@code gitcrq hooks install} writes start this class; {@code gitcrq hook <name>} runs the same code.
 */
public final class HookMain {

    private static final String USAGE = "usage: hook commit-msg FILE | hook pre-push REMOTE [URL] | hook pre-receive";

    private HookMain() {}

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), List.of(args)));
    }

    /** Runs the hook {@code args} name (after an optional leading {@code hook}); returns the exit code. */
    public static int run(CliEnvironment env, List<String> args) {
        List<String> hook = !args.isEmpty() && args.get(0).equals("hook") ? args.subList(1, args.size()) : args;
        try {
            Git git = Git.forCaller(env.workingDirectory(), env.env());
            switch (hook.isEmpty() ? "" : hook.get(0)) {
                case "commit-msg" ->
                    CommitMsgHook.run(git, env.workingDirectory().resolve(argument(hook, 1)), env.err());
                case "pre-push" -> PrePushHook.run(git, argument(hook, 1), env.in());
                case "pre-receive" -> PreReceiveHook.run(git, env.in(), env.env());
                default -> throw new CliFailure(CliFailure.USAGE, USAGE);
            }
            return 0;
        } catch (CliFailure failure) {
            env.err().println("error: " + failure.getMessage());
            return failure.exitCode();
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    private static String argument(List<String> hook, int index) {
        if (hook.size() <= index) {
            throw new CliFailure(CliFailure.USAGE, USAGE);
        }
        return hook.get(index);
    }
}
