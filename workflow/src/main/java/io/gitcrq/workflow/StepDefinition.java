package io.gitcrq.workflow;

import java.util.Map;

/**
 * A {@code run:} step as written. Fields that may hold {@code ${{ … }}} are kept as written and evaluated when the step
 * is reached; absent optional fields are {@code null}.
 *
 * @param index            position in the job, from 0
 * @param id               the step's {@code id:}, or null
 * @param name             the step's {@code name:} as written, or null
 * @param condition        the step's {@code if:} as written, or null ({@code success()})
 * @param run              the script
 * @param shell            the step's {@code shell:}, or null (job / workflow {@code defaults.run.shell}, then bash)
 * @param env              the step's {@code env:} (values as written, in file order)
 * @param workingDirectory the step's {@code working-directory:}, or null
 * @param continueOnError  the step's {@code continue-on-error:} as written, or null (false)
 * @param timeoutMinutes   the step's {@code timeout-minutes:} as written (fractions allowed), or null
 * @param line             the line of the step in the file
 */
public record StepDefinition(
        int index,
        String id,
        String name,
        String condition,
        String run,
        String shell,
        Map<String, String> env,
        String workingDirectory,
        String continueOnError,
        String timeoutMinutes,
        int line) {

    /** {@code name:} as written, or {@code Run <first line of the script>} as Actions shows it. */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        String first = run.strip().lines().findFirst().orElse("");
        return "Run " + first;
    }
}
