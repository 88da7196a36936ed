package io.gitcrq.execagent;

import static io.gitcrq.testsupport.git.TestGit.git;

import io.gitcrq.testsupport.files.TempTrees;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What launches need, made for the test: a real git repository (project {@code demo}), a profiles directory with
 * the test's profiles, a worktrees directory, credentials in a file, a home for the Gemini CLI (its settings only:
 * API-key sign-in, so it starts without asking), and the host policy's allowed profiles.
 */
public class LaunchTestResource implements QuarkusTestResourceLifecycleManager {

    /** The credential the {@code probe} profile injects: it must never be seen anywhere but the pane's environment. */
    public static final String TOKEN = "tok-Launch-5Vd8Qm-Secret";

    public static final String GEMINI_KEY = "AIzaFake-Gemini-Key-77Xq";
    /** The MCP server launches give their tools (none listens there: the tests read what was written). */
    public static final String MCP_URL = "http://127.0.0.1:9/mcp";

    static Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("exec-agent-launch-");
            Path repo = Files.createDirectories(root.resolve("demo"));
            git(repo, "init", "-q", "-b", "main");
            Files.writeString(repo.resolve("README.md"), "demo\n");
            Files.createDirectories(repo.resolve(".gitcrq"));
            Files.writeString(repo.resolve(".gitcrq/build.yml"), """
                    jobs:
                      build:
                        steps:
                          - run: echo "built on $(git rev-parse --abbrev-ref HEAD) in $PWD"
                    """);
            git(repo, "add", "README.md", ".gitcrq/build.yml");
            git(
                    repo,
                    "-c",
                    "user.name=Test",
                    "-c",
                    "user.email=test@example.com",
                    "commit",
                    "-q",
                    "-m",
                    "CRQ-1 initial commit");
            Path profiles = Files.createDirectories(root.resolve("profiles"));
            Files.writeString(root.resolve("token"), TOKEN + "\n");
            Files.writeString(root.resolve("gemini-key"), GEMINI_KEY + "\n");
            Path geminiHome = Files.createDirectories(root.resolve("gemini-home/.gemini"));
            Files.writeString(
                    geminiHome.resolve("settings.json"),
                    "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}}}\n");
            Files.writeString(
                    profiles.resolve("probe.yaml"), """
                    # prints what the launch gave it; the token only as a check that it is set
                    extends: shell
                    tool: probe
                    command: bash
                    args: [-c, 'echo "cwd=$PWD"; echo "crq=$GITCRQ_CRQ branch=$GITCRQ_BRANCH project=$GITCRQ_PROJECT"; echo "title=${crq.title}"; echo "head=$(git rev-parse --abbrev-ref HEAD)"; echo "token=$DEPLOY_TOKEN"; test "$DEPLOY_TOKEN" = "$(cat %1$s)" && echo token-matches; echo "mode=$PROBE_MODE"; head -1 CONTEXT.md']
                    context-file: CONTEXT.md
                    recordings: %2$s/${crq}
                    audit: [process]
                    env:
                      PROBE_MODE: profile
                    credentials:
                      DEPLOY_TOKEN: {file: %1$s}
                    """.formatted(root.resolve("token"), root.resolve("recordings")));
            Files.writeString(profiles.resolve("probe-missing-secret.yaml"), """
                    extends: probe
                    credentials:
                      OTHER_TOKEN: {env: GITCRQ_TEST_NOT_SET}
                    """);
            Files.writeString(profiles.resolve("build-flow.yaml"), """
                    description: the CRQ's build workflow, in its worktree
                    workflow: .gitcrq/build.yml
                    """);
            Files.writeString(profiles.resolve("title-shell.yaml"), """
                    # a CRQ's title inside a shell's script: it must reach the script as data
                    extends: shell
                    tool: title
                    args:
                      - -c
                      - |
                        echo "quoted=${crq.title}" > title-out.txt
                        echo bare=${crq.title} >> title-out.txt
                        echo 'single=${crq.title}' >> title-out.txt
                    """);
            Files.writeString(profiles.resolve("loop-a.yaml"), "extends: loop-b\n");
            Files.writeString(profiles.resolve("loop-b.yaml"), "extends: loop-a\n");
            Files.writeString(profiles.resolve("not-allowed.yaml"), "extends: shell\n");
            Files.writeString(profiles.resolve("gemini-offline.yaml"), """
                    # The shipped gemini profile, with this test's Gemini CLI home and a key from a file
                    extends: gemini
                    command: %s
                    env:
                      GEMINI_CLI_HOME: %s
                    credentials:
                      GEMINI_API_KEY: {file: %s}
                    """.formatted(
                            gemini(), geminiHome.getParent(), root.resolve("gemini-key")));
            return Map.of(
                    "gitcrq.exec.profiles-dir",
                    profiles.toString(),
                    "gitcrq.exec.worktrees-dir",
                    root.resolve("worktrees").toString(),
                    "gitcrq.exec.projects.demo",
                    repo.toString(),
                    "gitcrq.exec.mcp-url",
                    MCP_URL,
                    "gitcrq.exec.policy.allowed-profiles",
                    "probe,probe-missing-secret,loop-a,gemini,gemini-offline,shell,build-flow,title-shell");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Gemini CLI that ./gitcrq setup installs (deploy/prerequisites.sh), or one on the PATH. */
    static String gemini() {
        Path installed = Path.of("../../.gitcrq-run/tools/node_modules/.bin/gemini")
                .toAbsolutePath()
                .normalize();
        if (Files.isExecutable(installed)) {
            return installed.toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "gemini"))) {
                return Path.of(dir, "gemini").toString();
            }
        }
        throw new IllegalStateException(
                "the Gemini CLI is not installed: run deploy/prerequisites.sh (./gitcrq test does)");
    }

    @Override
    public void stop() {
        TempTrees.deleteQuietly(root);
    }
}
