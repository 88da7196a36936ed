package io.gitcrq.cli.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How the CLI authenticates: a user and password (HTTP Basic, the development users of a local platform) or a bearer
 * token from the identity provider (production), with where the token came from. {@link #toString()} never shows the
 * password or the token.
 *
 * @param user     the user for Basic auth; null for a token
 * @param password the password for Basic auth; null for a token
 * @param token    the bearer token; null for Basic auth
 * @param source   where the token came from ({@code --token}, {@code GITCRQ_TOKEN}, the file {@code gitcrq login}
 *                 wrote), for messages
 */
public record Credentials(String user, String password, String token, String source) {

    public static Credentials basic(String user, String password) {
        return new Credentials(user, password, null, null);
    }

    public static Credentials bearer(String token, String source) {
        return new Credentials(null, null, token, source);
    }

    public boolean isToken() {
        return token != null;
    }

    /** The value of the {@code Authorization} header. */
    public String authorization() {
        if (isToken()) {
            return "Bearer " + token;
        }
        String pair = user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Who is calling, for messages: "user alice" or "the token from GITCRQ_TOKEN". */
    public String who() {
        return isToken() ? "the token from " + source : "user " + user;
    }

    @Override
    public String toString() {
        return isToken()
                ? "Credentials[token=***, source=" + source + "]"
                : "Credentials[user=" + user + ", password=***]";
    }
}
