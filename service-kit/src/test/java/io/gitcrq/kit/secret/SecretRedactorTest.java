package io.gitcrq.kit.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void masksUrlUserInfoAndConfiguredSecretsInTheirEncodedForms() {
        SecretRedactor redactor = new SecretRedactor(List.of("hunter22", "abc"));
        String basic = Base64.getEncoder().encodeToString("merge-bot:hunter22".getBytes(StandardCharsets.UTF_8));

        assertThat(redactor.redact("fetch https://merge-bot:hunter22@git.example/r.git failed"))
                .isEqualTo("fetch https://***@git.example/r.git failed");
        assertThat(redactor.redact("Authorization: Basic " + basic))
                .doesNotContain("aHVudGVyMjI")
                .contains("***");
        assertThat(redactor.redact("password hunter22, pin abc"))
                .as("a secret shorter than %d characters would mask ordinary words", SecretRedactor.MIN_SECRET_LENGTH)
                .isEqualTo("password ***, pin abc");
        assertThat(SecretRedactor.none().redact("ssh://git@host/r and hunter22"))
                .isEqualTo("ssh://***@host/r and hunter22");
        assertThat(SecretRedactor.none().redact(null)).isNull();
    }
}
