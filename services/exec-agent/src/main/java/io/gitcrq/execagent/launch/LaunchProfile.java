package io.gitcrq.execagent.launch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A launch profile as one YAML file writes it ({@code <name>.yaml}); every part may be missing, to be taken from
 * the profile it {@code extends}, or from the launch's own parameters. Values of {@code args}, {@code env},
 * {@code recordings}, {@code logs} and {@code context-file} may use the launch's parameters: {@code ${crq}},
 * {@code ${crq.title}}, {@code ${project}}, {@code ${branch}}, {@code ${worktree}}, {@code ${profile}},
 * {@code ${home}} ({@link LaunchParameters}).
 *
 * @param tool        what the profile runs, for people and the audit trail (e.g. {@code gemini})
 * @param command     the program; {@code args} its arguments (replaced as a whole by a profile that extends this)
 * @param env         variables set for it (merged by name along {@code extends})
 * @param credentials variables whose values are credentials, given by reference only (merged by name)
 * @param project     the project (a name from the agent's {@code gitcrq.exec.projects}, or a repository path)
 * @param branch      the CRQ's branch, checked out in a worktree of its own; default: derived from the CRQ's title
 * @param branchType  the type a derived branch name gets (default {@code feature})
 * @param worktree    whether to run in the CRQ's worktree (default true); false: in the project's own work tree
 * @param contextFile a file written into the worktree with the CRQ's title and description (kept out of git)
 * @param recordings  where the pane's recording goes (default: the agent's recordings directory)
 * @param logs        where the exec's log and scripts go (default: the agent's log directory)
 * @param session     tmux session (default: the CRQ id); {@code pane}: its window (default: the tool)
 * @param workflow    instead of a command: a workflow file (relative to the worktree) run there for the CRQ
 * @param audit       the audit sources started around the tool (default: the host's); {@code audit-paths}: more
 *                    trees the {@code file} source watches besides the worktree
 * @param allowedEnv  variables that change what runs ({@code PATH}, {@code LD_PRELOAD}, {@code BASH_ENV}…, see
 *                    {@code LaunchEnvironment}) which this profile's {@code env} or a launch's may set nonetheless
 * @param mcp         how the tool is given gitcrq's MCP server when a launch brings a token for the CRQ
 *                    ({@value GeminiMcpSettings#KIND}: {@link GeminiMcpSettings}, the only kind); unset: it is not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchProfile(
        String description,
        @JsonProperty("extends") String extendsProfile,
        String tool,
        String command,
        List<String> args,
        Map<String, String> env,
        Map<String, CredentialReference> credentials,
        String project,
        String branch,
        @JsonProperty("branch-type") String branchType,
        Boolean worktree,
        @JsonProperty("context-file") String contextFile,
        String recordings,
        String logs,
        String session,
        String pane,
        String workflow,
        List<String> audit,
        @JsonProperty("audit-paths") List<String> auditPaths,
        @JsonProperty("allowed-env") List<String> allowedEnv,
        String mcp) {

    /** This profile over {@code base}: what this one says wins; env and credentials merge by name. */
    LaunchProfile over(LaunchProfile base) {
        return new LaunchProfile(
                or(description, base.description),
                base.extendsProfile,
                or(tool, base.tool),
                or(command, base.command),
                or(args, base.args),
                merged(base.env, env),
                merged(base.credentials, credentials),
                or(project, base.project),
                or(branch, base.branch),
                or(branchType, base.branchType),
                or(worktree, base.worktree),
                or(contextFile, base.contextFile),
                or(recordings, base.recordings),
                or(logs, base.logs),
                or(session, base.session),
                or(pane, base.pane),
                or(workflow, base.workflow),
                or(audit, base.audit),
                or(auditPaths, base.auditPaths),
                or(allowedEnv, base.allowedEnv),
                or(mcp, base.mcp));
    }

    private static <T> T or(T mine, T base) {
        return mine != null ? mine : base;
    }

    private static <V> Map<String, V> merged(Map<String, V> base, Map<String, V> mine) {
        if (base == null) {
            return mine;
        }
        Map<String, V> all = new LinkedHashMap<>(base);
        if (mine != null) {
            all.putAll(mine);
        }
        return all;
    }
}
