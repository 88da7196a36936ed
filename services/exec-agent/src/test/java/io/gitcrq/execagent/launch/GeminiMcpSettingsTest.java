package io.gitcrq.execagent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.kit.error.InvalidRequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeminiMcpSettingsTest {

    private static final Path HOME = Path.of("/home/agent");

    @Test
    void theTrustedFoldersFileIsWhereTheGeminiCliLooksTheToolsOwnVariablesFirst() {
        Map<String, String> agent = Map.of("GEMINI_CLI_HOME", "/srv/agent-gemini");
        assertThat(GeminiMcpSettings.trustedFoldersFile(Map.of(), name -> null, HOME))
                .isEqualTo(Path.of("/home/agent/.gemini/trustedFolders.json"));
        assertThat(GeminiMcpSettings.trustedFoldersFile(Map.of(), agent::get, HOME))
                .isEqualTo(Path.of("/srv/agent-gemini/.gemini/trustedFolders.json"));
        assertThat(GeminiMcpSettings.trustedFoldersFile(Map.of("GEMINI_CLI_HOME", "/tool"), agent::get, HOME))
                .isEqualTo(Path.of("/tool/.gemini/trustedFolders.json"));
        assertThat(GeminiMcpSettings.trustedFoldersFile(
                        Map.of("GEMINI_CLI_HOME", "/tool", "GEMINI_CLI_TRUSTED_FOLDERS_PATH", "/etc/trusted.json"),
                        agent::get,
                        HOME))
                .isEqualTo(Path.of("/etc/trusted.json"));
        // A variable the tool's environment empties is not set for it.
        assertThat(GeminiMcpSettings.trustedFoldersFile(Map.of("GEMINI_CLI_HOME", ""), agent::get, HOME))
                .isEqualTo(Path.of("/home/agent/.gemini/trustedFolders.json"));
    }

    @Test
    void aProfileNamesAKnownWayToGiveItsToolTheMcpServerAndOnlyForAToolInTheWorktree(@TempDir Path profiles)
            throws IOException {
        Files.writeString(profiles.resolve("codex.yaml"), "extends: shell\nmcp: codex\n");
        Files.writeString(profiles.resolve("in-place.yaml"), "extends: gemini\nworktree: false\n");
        LaunchProfiles all = new LaunchProfiles(profiles);

        assertThat(all.resolve("gemini").mcp()).isEqualTo(GeminiMcpSettings.KIND);
        assertThat(all.resolve("shell").mcp()).isNull();
        assertThatThrownBy(() -> all.resolve("codex"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mcp must be gemini");
        assertThatThrownBy(() -> all.resolve("in-place"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mcp needs a tool in the CRQ's own worktree");
    }
}
