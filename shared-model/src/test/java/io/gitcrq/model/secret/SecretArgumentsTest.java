package io.gitcrq.model.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretArgumentsTest {

    @Test
    void argumentsNamedAsSecretsAreMaskedWhole() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("title", "Fix login");
        args.put("apiToken", "abc");
        args.put("password", "hunter2");
        args.put("clientSecret", List.of("x"));
        args.put("session", "crq-7");
        args.put("reason", null);
        JsonNode masked = SecretArguments.shapesOnly().mask(args);
        assertThat(masked.toString())
                .isEqualTo("{\"title\":\"Fix login\",\"apiToken\":\"***\",\"password\":\"***\","
                        + "\"clientSecret\":\"***\",\"session\":\"crq-7\",\"reason\":null}");
    }

    @Test
    void valuesThatLookLikeCredentialsAreMaskedInText() {
        SecretArguments masker = SecretArguments.shapesOnly();
        assertThat(masker.mask("curl -H 'Authorization: Bearer abcdefgh12345678' https://x"))
                .isEqualTo("curl -H 'Authorization: Bearer ***' https://x");
        assertThat(masker.mask("git clone https://bob:s3cr3tpw@example.com/r.git"))
                .isEqualTo("git clone https://bob:***@example.com/r.git");
        assertThat(masker.mask("DB_PASSWORD=hunter22 ./run && deploy --token abc123xyz now"))
                .isEqualTo("DB_PASSWORD=*** ./run && deploy --token *** now");
        assertThat(masker.mask("push with ghp_abcdefghijklmnopqrstuvwxyz0123456789"))
                .isEqualTo("push with ***");
        assertThat(masker.mask("mvn -q test")).isEqualTo("mvn -q test");
        assertThat(masker.mask("make test in the token bucket")).isEqualTo("make test in the token bucket");
    }

    @Test
    void knownSecretsAreMaskedInTheirEncodedFormsToo() {
        SecretArguments masker = SecretArguments.knowing(List.of("alicepw-42"));
        String basic = Base64.getEncoder().encodeToString("alice:alicepw-42".getBytes(StandardCharsets.UTF_8));
        assertThat(masker.mask("echo alicepw-42")).isEqualTo("echo ***");
        assertThat(masker.mask("x " + basic)).doesNotContain(basic).contains(SecretArguments.MASK);
    }
}
