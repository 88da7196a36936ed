package io.gitcrq.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, checked workflow file. {@link #load(Path)} and {@link #parse(String, String)} throw
 * {@link WorkflowException} for anything that would stop the run before it starts.
 *
 * @param name                    {@code name:}, or the source's file name
 * @param source                  where the text came from (a path, or the name given to {@link #parse})
 * @param env                     top-level {@code env:} (values as written)
 * @param defaultShell            top-level {@code defaults.run.shell}, or null
 * @param defaultWorkingDirectory top-level {@code defaults.run.working-directory}, or null
 * @param jobs                    the jobs, in file order
 */
public record Workflow(
        String name,
        String source,
        Map<String, String> env,
        String defaultShell,
        String defaultWorkingDirectory,
        List<JobDefinition> jobs) {

    /** Reads and checks a workflow file. */
    public static Workflow load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkflowException(file + ": cannot read the workflow file: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses and checks workflow text; {@code source} names it in messages (e.g. a file name). */
    public static Workflow parse(String text, String source) {
        return WorkflowParser.parse(text, source);
    }

    public Optional<JobDefinition> job(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
    }
}
