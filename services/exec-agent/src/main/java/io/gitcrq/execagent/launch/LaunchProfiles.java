package io.gitcrq.execagent.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The launch profiles of this agent: {@code <name>.yaml} in {@code gitcrq.exec.profiles-dir}, and the ones it ships
 * ({@link #BUILT_IN}, which a file of the same name replaces). Read at every use, so an edited profile needs no
 * restart; {@code extends} chains are followed to their root, a loop or a missing base is a clear error.
 */
@ApplicationScoped
public class LaunchProfiles {

    /** Shipped in the agent's resources under {@code launch-profiles/}. */
    static final List<String> BUILT_IN = List.of("shell", "gemini");

    private static final String RESOURCES = "launch-profiles/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_DEPTH = 16;
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path directory;

    @Inject
    public LaunchProfiles(ExecAgentConfig config) {
        this(config.profilesDirectory());
    }

    LaunchProfiles(Path directory) {
        this.directory = directory;
    }

    /** A profile with everything it inherits: 404 when there is none of that name, 400 when it cannot be read. */
    public LaunchProfile resolve(String name) {
        checkName(name);
        Set<String> chain = new LinkedHashSet<>();
        List<LaunchProfile> layers = new ArrayList<>();
        String next = name;
        while (next != null) {
            if (!chain.add(next)) {
                throw new InvalidRequestException(
                        "launch profile " + name + " extends itself: " + String.join(" -> ", chain) + " -> " + next);
            }
            if (chain.size() > MAX_DEPTH) {
                throw new InvalidRequestException(
                        "launch profile " + name + " extends more than " + MAX_DEPTH + " profiles deep");
            }
            String current = next;
            LaunchProfile layer = read(current)
                    .orElseThrow(() -> current.equals(name)
                            ? new EntityNotFoundException("no launch profile " + name + " (" + directory + "/" + name
                                    + ".yaml, or one of " + String.join(", ", BUILT_IN) + ")")
                            : new InvalidRequestException("launch profile "
                                    + chain.stream()
                                            .skip(chain.size() - 2)
                                            .findFirst()
                                            .orElse(name) + " extends " + current + ", which does not exist"));
            if (layer.extendsProfile() != null) {
                checkName(layer.extendsProfile());
            }
            layers.add(layer);
            next = layer.extendsProfile();
        }
        LaunchProfile resolved = layers.get(layers.size() - 1);
        for (int i = layers.size() - 2; i >= 0; i--) {
            resolved = layers.get(i).over(resolved);
        }
        check(name, resolved);
        return resolved;
    }

    /** Every profile's name and description, files and shipped ones, by name. */
    public TreeMap<String, String> list() {
        TreeMap<String, String> all = new TreeMap<>();
        BUILT_IN.forEach(name -> all.put(name, ""));
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".yaml"))
                        .map(f -> f.substring(0, f.length() - ".yaml".length()))
                        .filter(n -> NAME.matcher(n).matches())
                        .forEach(n -> all.put(n, ""));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot list launch profiles in " + directory + ": " + e.getMessage(), e);
            }
        }
        all.replaceAll((name, none) -> {
            try {
                return Optional.ofNullable(resolve(name).description()).orElse("");
            } catch (DomainException broken) {
                return "(cannot be used: " + broken.getMessage() + ")";
            }
        });
        return all;
    }

    private Optional<LaunchProfile> read(String name) {
        Path file = directory.resolve(name + ".yaml");
        try {
            if (Files.isRegularFile(file)) {
                return Optional.of(parse(name, Files.readString(file, StandardCharsets.UTF_8)));
            }
            if (!BUILT_IN.contains(name)) {
                return Optional.empty();
            }
            try (InputStream in =
                    LaunchProfiles.class.getClassLoader().getResourceAsStream(RESOURCES + name + ".yaml")) {
                if (in == null) {
                    throw new IllegalStateException("the shipped launch profile " + name + " is missing");
                }
                return Optional.of(parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new InvalidRequestException("cannot read launch profile " + name + ": " + e.getMessage());
        }
    }

    static LaunchProfile parse(String name, String yaml) {
        try {
            LaunchProfile profile = YAML.readValue(yaml, LaunchProfile.class);
            if (profile == null) {
                throw new InvalidRequestException("launch profile " + name + " is empty");
            }
            return profile;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("launch profile " + name + " is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
    }

    private static void check(String name, LaunchProfile profile) {
        List<String> problems = new ArrayList<>();
        boolean command = profile.command() != null && !profile.command().isBlank();
        boolean workflow = profile.workflow() != null && !profile.workflow().isBlank();
        if (command == workflow) {
            problems.add(
                    command
                            ? "it names both a command and a workflow (a profile runs one of them)"
                            : "it names no command (nor a workflow to run)");
        }
        if (profile.credentials() != null) {
            profile.credentials().forEach((variable, reference) -> {
                if (reference == null) {
                    problems.add("credential " + variable + " names no source");
                } else {
                    reference.problem().ifPresent(p -> problems.add("credential " + variable + " " + p));
                }
            });
        }
        if (profile.mcp() != null) {
            if (!GeminiMcpSettings.KIND.equals(profile.mcp())) {
                problems.add("mcp must be " + GeminiMcpSettings.KIND + " (the only kind known), not '" + profile.mcp()
                        + "'");
            }
            if (workflow || Boolean.FALSE.equals(profile.worktree())) {
                problems.add("mcp needs a tool in the CRQ's own worktree (not a workflow, not worktree: false)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(
                    "launch profile " + name + " cannot be used: " + String.join("; ", problems));
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException(
                    "a launch profile name must match " + NAME.pattern() + ", not '" + name + "'");
        }
    }
}
