package io.gitcrq.cli.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user and password for HTTP Basic auth. {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {

    public String basicAuthorization() {
        String token = user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
