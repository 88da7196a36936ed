package io.gitcrq.cli.command;

import io.gitcrq.cli.http.TokenStore;
import io.gitcrq.cli.process.CliFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq login}: keeps a bearer token from the identity provider for later commands (never printed). The token
 * comes from {@code --token} or the first line of standard input.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = {
            "Store a bearer token (OIDC/JWT from your identity provider) for later commands, in "
                    + "$XDG_CONFIG_HOME/gitcrq/token (default ~/.config/gitcrq/token), readable by you only.",
            "The token comes from --token or the first line of standard input. Later commands send it unless "
                    + "--user or --token is given (or GITCRQ_TOKEN, GITCRQ_USER is set)."
        },
        footer = {"", "Examples:", "  my-idp-cli token | gitcrq login", "  gitcrq login < token.txt"})
public class LoginCommand implements Callable<Integer> {

    /** Longest token line read from standard input. */
    static final int MAX_TOKEN_CHARS = 64 * 1024;

    @ParentCommand
    CommandContext cli;

    @Override
    public Integer call() {
        String token = cli.tokenOption().orElseGet(this::readStandardInput);
        if (token.isEmpty()) {
            throw new CliFailure(CliFailure.USAGE, "no token: pass --token TOKEN or give it on standard input");
        }
        if (token.chars().anyMatch(Character::isWhitespace)) {
            throw new CliFailure(CliFailure.USAGE, "that is not one token: it contains white space");
        }
        TokenStore store = TokenStore.of(cli.environment());
        store.write(token);
        cli.environment()
                .out()
                .println("token stored in " + store.file()
                        + "; later commands send it unless --user or --token is given");
        return 0;
    }

    private String readStandardInput() {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(cli.environment().in(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.length() > MAX_TOKEN_CHARS) {
                    throw new CliFailure(
                            CliFailure.USAGE,
                            "the token on standard input is longer than " + MAX_TOKEN_CHARS + " characters");
                }
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return "";
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot read the token from standard input: " + e.getMessage(), e);
        }
    }

    /** {@code gitcrq logout}: forgets the stored token. */
    @Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove the token gitcrq login stored.")
    public static class Logout implements Callable<Integer> {

        @ParentCommand
        CommandContext cli;

        @Override
        public Integer call() {
            TokenStore store = TokenStore.of(cli.environment());
            boolean removed = store.delete();
            cli.environment()
                    .out()
                    .println(removed ? "removed " + store.file() : "no token stored (" + store.file() + ")");
            return 0;
        }
    }
}
