package io.gitcrq.workflow;

import java.util.List;
import java.util.Map;

/**
 * A job as written. Fields that may hold {@code ${{ … }}} are kept as written; absent optional fields are {@code null}.
 *
 * @param id                      the key under {@code jobs:}
 * @param name                    {@code name:} as written, or null
 * @param needs                   the jobs this one needs, in file order
 * @param condition               {@code if:} as written, or null ({@code success()})
 * @param env                     {@code env:} (values as written)
 * @param defaultShell            {@code defaults.run.shell}, or null
 * @param defaultWorkingDirectory {@code defaults.run.working-directory}, or null
 * @param outputs                 {@code outputs:} name → value as written
 * @param matrix                  {@code strategy.matrix}: null, a Map of plain values (Lists, Maps, Strings,
 *                                Doubles, Booleans) or a String expression such as {@code ${{ fromJSON(…) }}}
 * @param failFast                {@code strategy.fail-fast} as written, or null (true)
 * @param maxParallel             {@code strategy.max-parallel} as written, or null (no limit but the engine's pool)
 * @param timeoutMinutes          {@code timeout-minutes:} as written, or null (360)
 * @param continueOnError         {@code continue-on-error:} as written, or null (false)
 * @param steps                   the steps, in order
 * @param line                    the line of the job's key in the file
 */
public record JobDefinition(
        String id,
        String name,
        List<String> needs,
        String condition,
        Map<String, String> env,
        String defaultShell,
        String defaultWorkingDirectory,
        Map<String, String> outputs,
        Object matrix,
        String failFast,
        String maxParallel,
        String timeoutMinutes,
        String continueOnError,
        List<StepDefinition> steps,
        int line) {}
