package io.gitcrq.kit.secret;

import io.gitcrq.model.secret.KnownSecrets;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it reaches a log, an event or a stored reason: the user-info part of URLs
 * ({@code https://user:token@host/…}) and every configured secret, wherever it stands and in its encoded forms
 * ({@link KnownSecrets}: a base64 {@code Authorization} header in an error message, a URL-encoded password).
 */
public final class SecretRedactor {

    public static final String MASK = KnownSecrets.MASK;
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    // Shorter secrets would mask ordinary words; a password that short is refused at start-up instead.
    public static final int MIN_SECRET_LENGTH = 4;
    private static final SecretRedactor NONE = new SecretRedactor(List.of());

    private final KnownSecrets secrets;

    /** Masks URLs' user info and {@code secrets} (those shorter than {@value #MIN_SECRET_LENGTH} left out). */
    public SecretRedactor(Collection<String> secrets) {
        this.secrets = KnownSecrets.of(secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH)
                .toList());
    }

    /** Masks URLs' user info only. */
    public static SecretRedactor none() {
        return NONE;
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        return secrets.mask(URL_USER_INFO.matcher(text).replaceAll(MASK + "@"));
    }
}
