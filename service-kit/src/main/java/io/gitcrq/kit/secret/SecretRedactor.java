package io.gitcrq.kit.secret;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it reaches a log, an event or a stored reason: the user-info part of URLs
 * ({@code https://user:token@host/…}) and every configured secret, wherever it stands.
 */
public record SecretRedactor(Collection<String> secrets) {

    public static final String MASK = "***";
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    // Shorter secrets would mask ordinary words; a password that short is refused at start-up instead.
    public static final int MIN_SECRET_LENGTH = 4;

    public SecretRedactor {
        secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH)
                .toList();
    }

    public static SecretRedactor none() {
        return new SecretRedactor(List.of());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = URL_USER_INFO.matcher(text).replaceAll(MASK + "@");
        for (String secret : secrets) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }
}
