package io.gitcrq.workflow;

import io.gitcrq.workflow.YamlTree.Mapping;
import io.gitcrq.workflow.YamlTree.Node;
import io.gitcrq.workflow.YamlTree.Scalar;
import io.gitcrq.workflow.YamlTree.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads workflow YAML into {@link Workflow} and checks everything that can be checked before a run. */
final class WorkflowParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Set<String> TOP_KEYS =
            Set.of("name", "run-name", "on", "true", "env", "defaults", "jobs", "permissions", "concurrency");
    private static final Set<String> JOB_KEYS = Set.of(
            "name",
            "needs",
            "runs-on",
            "if",
            "env",
            "defaults",
            "steps",
            "outputs",
            "strategy",
            "timeout-minutes",
            "continue-on-error",
            "permissions",
            "concurrency",
            "environment");
    private static final Set<String> STEP_KEYS = Set.of(
            "id", "name", "if", "run", "shell", "env", "working-directory", "continue-on-error", "timeout-minutes");

    private final String source;

    private WorkflowParser(String source) {
        this.source = source;
    }

    static Workflow parse(String text, String source) {
        return new WorkflowParser(source).workflow(YamlTree.parse(text, source));
    }

    private WorkflowException error(int line, String message) {
        return new WorkflowException(source + ":" + line + ": " + message);
    }

    private Workflow workflow(Node root) {
        if (!(root instanceof Mapping top)) {
            throw error(root.line(), "a workflow must be a mapping with a 'jobs:' key");
        }
        for (String key : top.entries().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                throw error(top.lineOf(key), "unknown top-level key '" + key + "'");
            }
        }
        String name = scalarText(top, "name", "workflow");
        if (name == null) {
            name = Path.of(source).getFileName() == null
                    ? source
                    : Path.of(source).getFileName().toString();
        }
        Map<String, String> env = env(top, "workflow");
        String[] defaults = defaults(top, "workflow");
        Node jobsNode = top.get("jobs");
        if (!(jobsNode instanceof Mapping jobsMap) || jobsMap.entries().isEmpty()) {
            throw error(jobsNode == null ? top.line() : jobsNode.line(), "the workflow has no jobs ('jobs:' mapping)");
        }
        List<JobDefinition> jobs = new ArrayList<>();
        for (Map.Entry<String, Node> e : jobsMap.entries().entrySet()) {
            jobs.add(job(e.getKey(), e.getValue(), jobsMap.lineOf(e.getKey())));
        }
        checkNeeds(jobs);
        return new Workflow(name, source, env, defaults[0], defaults[1], Collections.unmodifiableList(jobs));
    }

    private JobDefinition job(String id, Node node, int line) {
        String where = "job '" + id + "'";
        if (!ID.matcher(id).matches()) {
            throw error(
                    line,
                    where + ": a job id must start with a letter or '_' and hold only letters, digits, '-' and '_'");
        }
        if (!(node instanceof Mapping job)) {
            throw error(line, where + " must be a mapping");
        }
        for (String key : job.entries().keySet()) {
            int keyLine = job.lineOf(key);
            switch (key) {
                case "uses" ->
                    throw error(
                            keyLine,
                            where + ": 'uses:' (a reusable workflow) is not supported by miniact;"
                                    + " only 'run:' steps are");
                case "container", "services" ->
                    throw error(
                            keyLine, where + ": '" + key + ":' is not supported by miniact (steps run on this host)");
                default -> {
                    if (!JOB_KEYS.contains(key)) {
                        throw error(keyLine, where + ": unknown key '" + key + "'");
                    }
                }
            }
        }
        String name = template(job, "name", where);
        List<String> needs = needs(job, where);
        String condition = condition(job, "if", where, true);
        Map<String, String> env = env(job, where);
        String[] defaults = defaults(job, where);
        Map<String, String> outputs = outputs(job, where);
        String timeout = template(job, "timeout-minutes", where);
        checkMinutes(job, timeout, where);
        String continueOnError = template(job, "continue-on-error", where);
        Object matrix = null;
        String failFast = null;
        String maxParallel = null;
        Node strategyNode = job.get("strategy");
        if (strategyNode != null) {
            if (!(strategyNode instanceof Mapping strategy)) {
                throw error(strategyNode.line(), where + ": 'strategy:' must be a mapping");
            }
            for (String key : strategy.entries().keySet()) {
                if (!Set.of("matrix", "fail-fast", "max-parallel").contains(key)) {
                    throw error(strategy.lineOf(key), where + ": unknown key 'strategy." + key + "'");
                }
            }
            failFast = template(strategy, "fail-fast", where);
            maxParallel = template(strategy, "max-parallel", where);
            Node matrixNode = strategy.get("matrix");
            if (matrixNode != null) {
                matrix = matrix(matrixNode, where);
            }
        }
        Node stepsNode = job.get("steps");
        if (!(stepsNode instanceof Sequence stepsSeq) || stepsSeq.items().isEmpty()) {
            throw error(stepsNode == null ? line : stepsNode.line(), where + " has no steps ('steps:' sequence)");
        }
        List<StepDefinition> steps = new ArrayList<>();
        Set<String> stepIds = new HashSet<>();
        for (Node stepNode : stepsSeq.items()) {
            StepDefinition step = step(id, steps.size(), stepNode);
            if (step.id() != null && !stepIds.add(step.id())) {
                throw error(step.line(), where + ": step id '" + step.id() + "' is used twice");
            }
            steps.add(step);
        }
        return new JobDefinition(
                id,
                name,
                needs,
                condition,
                env,
                defaults[0],
                defaults[1],
                outputs,
                matrix,
                failFast,
                maxParallel,
                timeout,
                continueOnError,
                Collections.unmodifiableList(steps),
                line);
    }

    private StepDefinition step(String jobId, int index, Node node) {
        String where = "job '" + jobId + "' step " + (index + 1);
        if (!(node instanceof Mapping step)) {
            throw error(node.line(), where + " must be a mapping");
        }
        String named = step.get("name") instanceof Scalar s && s.value() != null
                ? s.text()
                : step.get("id") instanceof Scalar s2 && s2.value() != null ? s2.text() : null;
        if (named != null) {
            where = where + " ('" + named + "')";
        }
        if (step.get("uses") != null) {
            throw error(
                    step.lineOf("uses"),
                    where + ": 'uses: " + scalarOrKind(step.get("uses"))
                            + "' — actions are not supported by miniact; write the step as 'run:'");
        }
        for (String key : step.entries().keySet()) {
            if (!STEP_KEYS.contains(key)) {
                String hint =
                        key.equals("with") ? " ('with:' belongs to 'uses:' steps, which miniact does not run)" : "";
                throw error(step.lineOf(key), where + ": unknown key '" + key + "'" + hint);
            }
        }
        String id = scalarText(step, "id", where);
        if (id != null && !ID.matcher(id).matches()) {
            throw error(
                    step.lineOf("id"),
                    where + ": a step id must start with a letter or '_' and hold only letters,"
                            + " digits, '-' and '_'");
        }
        String run = template(step, "run", where);
        if (run == null || run.isBlank()) {
            throw error(step.line(), where + " has no 'run:' script");
        }
        String name = template(step, "name", where);
        String condition = condition(step, "if", where, false);
        String shell = template(step, "shell", where);
        checkShell(step, shell, where);
        Map<String, String> env = env(step, where);
        String workingDirectory = template(step, "working-directory", where);
        String continueOnError = template(step, "continue-on-error", where);
        String timeout = template(step, "timeout-minutes", where);
        checkMinutes(step, timeout, where);
        return new StepDefinition(
                index, id, name, condition, run, shell, env, workingDirectory, continueOnError, timeout, step.line());
    }

    private static String scalarOrKind(Node node) {
        return node instanceof Scalar s ? s.text() : node.kind();
    }

    /** A scalar's text (booleans as true/false, numbers as written); null when absent or null. */
    private String scalarText(Mapping map, String key, String where) {
        Node node = map.get(key);
        if (node == null) {
            return null;
        }
        if (!(node instanceof Scalar scalar)) {
            throw error(map.lineOf(key), where + ": '" + key + ":' must be a scalar, not " + node.kind());
        }
        if (scalar.value() == null) {
            return null;
        }
        if (scalar.value() instanceof Boolean b) {
            return b.toString();
        }
        return scalar.text();
    }

    /** A scalar that may hold {@code ${{ … }}}: checked now, kept as written. */
    private String template(Mapping map, String key, String where) {
        String text = scalarText(map, key, where);
        if (text != null) {
            checkTemplate(text, map.lineOf(key), where + " '" + key + ":'");
        }
        return text;
    }

    private Template checkTemplate(String text, int line, String where) {
        try {
            return Template.parse(text);
        } catch (Expr.ExpressionException e) {
            throw error(line, where + ": " + e.getMessage());
        }
    }

    private String condition(Mapping map, String key, String where, boolean jobLevel) {
        String text = scalarText(map, key, where);
        if (text == null) {
            return null;
        }
        int line = map.lineOf(key);
        Expr expr;
        try {
            expr = Conditions.compile(text);
        } catch (Expr.ExpressionException e) {
            throw error(line, where + " 'if:': " + e.getMessage());
        }
        if (jobLevel) {
            for (String context : List.of("matrix", "steps", "job", "strategy")) {
                if (expr.reads(context)) {
                    throw error(
                            line,
                            where + " 'if:': the '" + context + "' context is not available in a job's if"
                                    + " (it is evaluated before the job starts)");
                }
            }
        }
        return text;
    }

    private Map<String, String> env(Mapping map, String where) {
        return stringMap(map, "env", where);
    }

    private Map<String, String> outputs(Mapping map, String where) {
        return stringMap(map, "outputs", where);
    }

    private Map<String, String> stringMap(Mapping map, String key, String where) {
        Node node = map.get(key);
        if (node == null || node instanceof Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(node instanceof Mapping m)) {
            throw error(map.lineOf(key), where + ": '" + key + ":' must be a mapping");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : m.entries().keySet()) {
            String value = scalarText(m, name, where + " " + key);
            String text = value == null ? "" : value;
            checkTemplate(text, m.lineOf(name), where + " " + key + "." + name);
            out.put(name, text);
        }
        return Collections.unmodifiableMap(out);
    }

    private String[] defaults(Mapping map, String where) {
        Node node = map.get("defaults");
        if (node == null) {
            return new String[2];
        }
        if (!(node instanceof Mapping defaults)) {
            throw error(map.lineOf("defaults"), where + ": 'defaults:' must be a mapping");
        }
        Node runNode = defaults.get("run");
        for (String key : defaults.entries().keySet()) {
            if (!key.equals("run")) {
                throw error(defaults.lineOf(key), where + ": unknown key 'defaults." + key + "'");
            }
        }
        if (runNode == null) {
            return new String[2];
        }
        if (!(runNode instanceof Mapping run)) {
            throw error(defaults.lineOf("run"), where + ": 'defaults.run:' must be a mapping");
        }
        for (String key : run.entries().keySet()) {
            if (!key.equals("shell") && !key.equals("working-directory")) {
                throw error(run.lineOf(key), where + ": unknown key 'defaults.run." + key + "'");
            }
        }
        String shell = template(run, "shell", where + " defaults.run");
        checkShell(run, shell, where);
        return new String[] {shell, template(run, "working-directory", where + " defaults.run")};
    }

    private void checkShell(Mapping map, String shell, String where) {
        if (shell == null || Template.parse(shell).hasExpressions()) {
            return;
        }
        try {
            ShellCommand.check(shell);
        } catch (IllegalArgumentException e) {
            throw error(map.lineOf("shell"), where + ": " + e.getMessage());
        }
    }

    private void checkMinutes(Mapping map, String text, String where) {
        if (text == null || Template.parse(text).hasExpressions()) {
            return;
        }
        double minutes = Values.parseNumber(text.strip());
        if (Double.isNaN(minutes) || minutes <= 0) {
            throw error(
                    map.lineOf("timeout-minutes"),
                    where + ": 'timeout-minutes:' must be a positive number, got '" + text + "'");
        }
    }

    private List<String> needs(Mapping job, String where) {
        Node node = job.get("needs");
        if (node == null) {
            return List.of();
        }
        List<String> needs = new ArrayList<>();
        if (node instanceof Scalar s && s.value() instanceof String one) {
            needs.add(one);
        } else if (node instanceof Sequence seq) {
            for (Node item : seq.items()) {
                if (!(item instanceof Scalar s && s.value() instanceof String one)) {
                    throw error(item.line(), where + ": 'needs:' entries must be job ids");
                }
                if (needs.contains(one)) {
                    throw error(item.line(), where + ": 'needs:' names '" + one + "' twice");
                }
                needs.add(one);
            }
        } else {
            throw error(job.lineOf("needs"), where + ": 'needs:' must be a job id or a sequence of job ids");
        }
        return List.copyOf(needs);
    }

    private Object matrix(Node node, String where) {
        int line = node.line();
        if (node instanceof Scalar s && s.value() instanceof String text) {
            Template t = checkTemplate(text, line, where + " 'strategy.matrix:'");
            if (t.single() == null) {
                throw error(line, where + ": 'strategy.matrix:' must be a mapping or a single ${{ }} expression");
            }
            return text;
        }
        if (!(node instanceof Mapping m)) {
            throw error(line, where + ": 'strategy.matrix:' must be a mapping");
        }
        boolean dynamic = checkTemplates(node, where + " 'strategy.matrix:'");
        Object value = m.toValue();
        if (!dynamic) {
            try {
                Matrix.expand(value);
            } catch (IllegalArgumentException e) {
                throw error(line, where + ": " + e.getMessage());
            }
        }
        return value;
    }

    /** Checks every string in a subtree; true when one holds an expression. */
    private boolean checkTemplates(Node node, String where) {
        if (node instanceof Scalar s) {
            return s.value() instanceof String text
                    && checkTemplate(text, s.line(), where).hasExpressions();
        }
        boolean any = false;
        Iterable<Node> children = node instanceof Mapping m ? m.entries().values() : ((Sequence) node).items();
        for (Node child : children) {
            any |= checkTemplates(child, where);
        }
        return any;
    }

    private void checkNeeds(List<JobDefinition> jobs) {
        Map<String, JobDefinition> byId = new LinkedHashMap<>();
        jobs.forEach(j -> byId.put(j.id(), j));
        for (JobDefinition job : jobs) {
            for (String need : job.needs()) {
                if (need.equals(job.id())) {
                    throw error(job.line(), "job '" + job.id() + "' needs itself");
                }
                if (!byId.containsKey(need)) {
                    throw error(
                            job.line(),
                            "job '" + job.id() + "' needs '" + need + "', which is not a job in this"
                                    + " workflow (jobs: " + String.join(", ", byId.keySet()) + ")");
                }
            }
        }
        Map<String, Integer> state = new LinkedHashMap<>(); // 1 visiting, 2 done
        for (JobDefinition job : jobs) {
            List<String> path = new ArrayList<>();
            cycle(job.id(), byId, state, path);
        }
    }

    private void cycle(String id, Map<String, JobDefinition> byId, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return;
        }
        path.add(id);
        if (s != null) {
            List<String> loop = path.subList(path.indexOf(id), path.size());
            throw error(byId.get(id).line(), "the jobs' needs form a cycle: " + String.join(" -> ", loop));
        }
        state.put(id, 1);
        for (String need : byId.get(id).needs()) {
            cycle(need, byId, state, path);
        }
        state.put(id, 2);
        path.remove(path.size() - 1);
    }
}
