package io.gitcrq.execagent.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.execagent.recording.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchCredentialMaskingTest {

    @TempDir
    Path profiles;

    @Test
    void aProfilesEnvironmentCredentialIsMaskedBeforeAnyLaunch() throws Exception {
        Files.writeString(profiles.resolve("deploy-bot.yaml"), """
                description: a tool with two credentials
                extends: shell
                command: deploy-bot
                credentials:
                  DEPLOY_TOKEN: {env: DEPLOY_TOKEN}
                  DEPLOY_KEY: {file: /nonexistent/deploy.key, optional: true}
                """);
        Map<String, String> environment =
                Map.of("DEPLOY_TOKEN", "dt-7f3a9c1e55", "GEMINI_API_KEY", "AIzaSy-test-key-0042");
        Redactor redactor = Redactor.of(List.of(), name -> null);

        int found = new LaunchCredentialMasking(new LaunchProfiles(profiles), redactor, environment::get)
                .registerEnvironmentCredentials();

        assertThat(found).isEqualTo(2); // deploy-bot's token and the shipped gemini profile's key
        assertThat(redactor.mask("token dt-7f3a9c1e55, key AIzaSy-test-key-0042"))
                .isEqualTo("token ***, key ***");
    }
}
