package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.RepoPolicy;
import java.util.Map;

/**
 * What a hook takes from its repository's git config, read with one {@code git config} run: the
 * {@link RepoPolicy} (section {@code gitcrq}), git's comment character, and for pre-receive's optional CRQ
 * status check {@code gitcrq.crqUrl} and {@code gitcrq.user}.
 */
public record RepoSettings(RepoPolicy policy, char commentChar, String crqUrl, String user) {

    static final String CRQ_URL = "gitcrq.crqurl";
    static final String USER = "gitcrq.user";

    public static RepoSettings read(Git git) {
        Map<String, String> config = git.config("^(gitcrq\\.|core\\.commentchar$)");
        RepoPolicy policy;
        try {
            policy = RepoPolicy.fromGitConfig(config);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    "the gitcrq settings of this repository are broken: " + e.getMessage()
                            + "\n  fix them with git config (see git config --get-regexp '^gitcrq\\.')");
        }
        String comment = config.get("core.commentchar");
        // "auto" lets git pick a character the message does not use; '#' is what it tries first.
        char commentChar = comment == null || comment.length() != 1 ? '#' : comment.charAt(0);
        return new RepoSettings(policy, commentChar, blankToNull(config.get(CRQ_URL)), blankToNull(config.get(USER)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
