package io.gitcrq.execagent.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.model.files.AtomicFiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * gitcrq's MCP server given to the Gemini CLI in a CRQ's worktree (a profile's {@code mcp: gemini}):
 * {@value #SETTINGS} there names the server ({@code "url"}, {@code "type": "http"}, the CRQ-scoped token as its
 * {@code Authorization} header), readable by its owner alone and kept out of git; the worktree is trusted in the CLI's
 * {@code trustedFolders.json}, since the CLI ignores a workspace's MCP servers in a folder it does not trust. A launch
 * without a token takes gitcrq's entry out again, so a token one launch left is never used by the next. Other settings
 * in the file are kept (its comments are not: the file is rewritten as plain JSON).
 */
@ApplicationScoped
public class GeminiMcpSettings {

    /** The profile's {@code mcp} value this class serves. */
    public static final String KIND = "gemini";

    /** The Gemini CLI's workspace settings, relative to the worktree. */
    static final String SETTINGS = ".gemini/settings.json";

    /** The name the server has in the CLI ({@code gemini mcp list}), and its tools' prefix there. */
    static final String SERVER_NAME = "gitcrq";

    // The Gemini CLI reads its settings with comments and trailing commas allowed; so does this.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final Worktrees worktrees;

    public GeminiMcpSettings(Worktrees worktrees) {
        this.worktrees = worktrees;
    }

    /**
     * Registers {@code server} with {@code token} in the worktree's settings and trusts the worktree in
     * {@code trustedFolders}; 409 where the settings file is tracked by git (a token must never be committable) or
     * a file is not JSON.
     */
    public synchronized void register(Path worktree, URI server, String token, Path trustedFolders) {
        if (worktrees.tracked(worktree, SETTINGS)) {
            throw new ConflictException("the worktree's " + SETTINGS + " is tracked by git: gitcrq will not write a"
                    + " token into a file that can be committed (take it out of the repository, or launch with"
                    + " --no-mcp)");
        }
        Path settingsFile = worktree.resolve(SETTINGS);
        ObjectNode settings = readObject(settingsFile);
        JsonNode servers = settings.get("mcpServers");
        if (servers != null && !servers.isObject()) {
            throw new ConflictException(settingsFile + ": mcpServers is not a JSON object: fix or remove it");
        }
        ObjectNode entry = settings.withObjectProperty("mcpServers").putObject(SERVER_NAME);
        entry.put("url", server.toString());
        entry.put("type", "http");
        entry.putObject("headers").put("Authorization", "Bearer " + token);
        entry.put("description", "gitcrq, for this worktree's CRQ alone");
        try {
            Path directory = settingsFile.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + settingsFile.getParent() + ": " + e.getMessage(), e);
        }
        writePrivate(settingsFile, settings);
        worktrees.exclude(worktree, SETTINGS);
        trust(worktree, trustedFolders);
    }

    /** Takes gitcrq's entry out of the worktree's settings, if there is one; the rest of the file stays. */
    public synchronized void unregister(Path worktree) {
        Path settingsFile = worktree.resolve(SETTINGS);
        if (!Files.isRegularFile(settingsFile)) {
            return;
        }
        ObjectNode settings = readObject(settingsFile);
        JsonNode servers = settings.path("mcpServers");
        if (servers instanceof ObjectNode object && object.remove(SERVER_NAME) != null) {
            writePrivate(settingsFile, settings);
        }
    }

    /**
     * The CLI's trusted folders file for a tool with environment {@code toolEnv} on an agent with environment
     * {@code agentEnv}: as the CLI finds it ({@code GEMINI_CLI_TRUSTED_FOLDERS_PATH}, else
     * {@code <GEMINI_CLI_HOME or the home>/.gemini/trustedFolders.json}), the tool's own variables first.
     */
    static Path trustedFoldersFile(Map<String, String> toolEnv, UnaryOperator<String> agentEnv, Path home) {
        String explicit = variable("GEMINI_CLI_TRUSTED_FOLDERS_PATH", toolEnv, agentEnv);
        if (explicit != null) {
            return Path.of(explicit);
        }
        String cliHome = variable("GEMINI_CLI_HOME", toolEnv, agentEnv);
        return (cliHome != null ? Path.of(cliHome) : home).resolve(".gemini").resolve("trustedFolders.json");
    }

    private static String variable(String name, Map<String, String> toolEnv, UnaryOperator<String> agentEnv) {
        String value = toolEnv.containsKey(name) ? toolEnv.get(name) : agentEnv.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    private void trust(Path worktree, Path file) {
        ObjectNode folders = readObject(file);
        String folder;
        try {
            // The CLI compares the real path of its working directory.
            folder = worktree.toRealPath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot resolve " + worktree + ": " + e.getMessage(), e);
        }
        if ("TRUST_FOLDER".equals(folders.path(folder).asText(null))) {
            return;
        }
        folders.put(folder, "TRUST_FOLDER");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create " + file.toAbsolutePath().getParent() + ": " + e.getMessage(), e);
        }
        writePrivate(file, folders);
    }

    /** The JSON object in {@code file}, or a new one where there is no file; 409 where it is not a JSON object. */
    private static ObjectNode readObject(Path file) {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode node = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // The content is not repeated: it may hold secrets of its own.
            throw new ConflictException(file + " is not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): fix or remove it");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        throw new ConflictException(file + " does not hold a JSON object: fix or remove it");
    }

    /** {@code node} as {@code file}'s whole content, readable by its owner alone, written atomically. */
    private static void writePrivate(Path file, ObjectNode node) {
        try {
            AtomicFiles.replacePrivate(
                    file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
