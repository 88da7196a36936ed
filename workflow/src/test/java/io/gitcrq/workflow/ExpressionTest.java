package io.gitcrq.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTest {

    private static Scope scope(boolean success, boolean failure, boolean cancelled) {
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("build", Map.of("outcome", "success", "outputs", Map.of("version", "1.2.3")));
        steps.put("lint", Map.of("outcome", "failure", "outputs", Map.of()));
        Map<String, Object> contexts = new LinkedHashMap<>();
        contexts.put("steps", steps);
        contexts.put("matrix", Map.of("os", "Linux", "n", 2.0));
        contexts.put("env", Map.of("NAME", "world", "EMPTY", ""));
        contexts.put("github", Map.of("event_name", "push", "ref", "refs/heads/main"));
        contexts.put(
                "needs",
                Map.of(
                        "setup",
                        Map.of(
                                "result",
                                "success",
                                "outputs",
                                Map.of("list", "[\"a\",\"b\"]", "obj", "{\"k\": [1, true, null]}"))));
        return new Scope(contexts, success, failure, cancelled);
    }

    private static Object eval(String expression) {
        return scope(true, false, false).evaluate(Expr.parse(expression));
    }

    private static String render(String template) {
        return Template.parse(template).render(scope(true, false, false));
    }

    @Test
    void literalsAndOperators() {
        assertThat(eval("1 == 1.0")).isEqualTo(true);
        assertThat(eval("'abc' == 'ABC'")).isEqualTo(true);
        assertThat(eval("'1' == 1")).isEqualTo(true);
        assertThat(eval("null == 0")).isEqualTo(true);
        assertThat(eval("true == 1")).isEqualTo(true);
        assertThat(eval("'x' != 'y'")).isEqualTo(true);
        assertThat(eval("!(1 < 2)")).isEqualTo(false);
        assertThat(eval("2 >= 2 && 'b' > 'A'")).isEqualTo(true);
        assertThat(eval("0x10 == 16")).isEqualTo(true);
        assertThat(eval("-1.5e1")).isEqualTo(-15.0);
        assertThat(eval("'it''s'")).isEqualTo("it's");
        assertThat(eval("'a' == 1")).isEqualTo(false); // NaN never equals
    }

    @Test
    void andOrReturnOperandsLikeActions() {
        assertThat(eval("env.EMPTY || 'default'")).isEqualTo("default");
        assertThat(eval("env.NAME && 'yes'")).isEqualTo("yes");
        assertThat(eval("github.event_name == 'push' && 'deploy' || 'skip'")).isEqualTo("deploy");
        assertThat(eval("env.MISSING")).isNull();
    }

    @Test
    void contextsArePropertiesIgnoringCase() {
        assertThat(eval("steps.build.outputs.version")).isEqualTo("1.2.3");
        assertThat(eval("STEPS.Build.Outputs['version']")).isEqualTo("1.2.3");
        assertThat(eval("matrix.n == 2")).isEqualTo(true);
        assertThat(eval("steps.*.outcome")).isEqualTo(List.of("success", "failure"));
        assertThat(eval("contains(steps.*.outcome, 'failure')")).isEqualTo(true);
        assertThat(eval("steps.nothing.outputs.x")).isNull();
    }

    @Test
    void functions() {
        assertThat(eval("contains('Hello World', 'world')")).isEqualTo(true);
        assertThat(eval("startsWith(github.ref, 'refs/heads/')")).isEqualTo(true);
        assertThat(eval("endsWith(github.ref, '/MAIN')")).isEqualTo(true);
        assertThat(eval("format('{0}-{1} {{literal}}', matrix.os, matrix.n)")).isEqualTo("Linux-2 {literal}");
        assertThat(eval("join(fromJSON(needs.setup.outputs.list), '+')")).isEqualTo("a+b");
        assertThat(eval("fromJSON(needs.setup.outputs.obj).k[1]")).isEqualTo(true);
        assertThat(eval("contains(fromJSON(needs.setup.outputs.list), 'B')")).isEqualTo(true);
        assertThat(eval("toJSON(matrix.n)")).isEqualTo("2");
        assertThat(eval("toJSON(fromJSON('{\"a\":[1,\"x\"]}'))")).isEqualTo("{\n  \"a\": [\n    1,\n    \"x\"\n  ]\n}");
        assertThatThrownBy(() -> eval("fromJSON('{nope')")).hasMessageContaining("fromJSON");
    }

    @Test
    void statusFunctionsFollowTheScope() {
        Scope failing = scope(false, true, false);
        assertThat(failing.evaluate(Conditions.compile(null))).isEqualTo(false);
        assertThat(failing.evaluate(Conditions.compile("failure()"))).isEqualTo(true);
        assertThat(failing.evaluate(Conditions.compile("${{ always() }}"))).isEqualTo(true);
        // Without a status function an if: means success() && (...).
        assertThat(failing.evaluate(Conditions.compile("true"))).isEqualTo(false);
        assertThat(scope(true, false, false).evaluate(Conditions.compile("matrix.os == 'linux'")))
                .isEqualTo(true);
        Scope cancelled = scope(false, false, true);
        assertThat(cancelled.evaluate(Conditions.compile("cancelled()"))).isEqualTo(true);
        assertThat(cancelled.evaluate(Conditions.compile("!cancelled()"))).isEqualTo(false);
    }

    @Test
    void templatesInterpolate() {
        assertThat(render("Hello ${{ env.NAME }}, n=${{ matrix.n }}, ${{ env.MISSING }}!"))
                .isEqualTo("Hello world, n=2, !");
        assertThat(render("${{ '}}' }}")).isEqualTo("}}");
        assertThat(render("no expressions")).isEqualTo("no expressions");
        assertThat(Template.parse(" ${{ matrix.n }} ").value(scope(true, false, false)))
                .isEqualTo(2.0);
        assertThat(render("${{ fromJSON('[1]') }}")).isEqualTo("Array");
    }

    @Test
    void badExpressionsAreRefusedWhenParsed() {
        assertThatThrownBy(() -> Expr.parse("nosuch.x")).hasMessageContaining("unknown context 'nosuch'");
        assertThatThrownBy(() -> Expr.parse("frobnicate(1)")).hasMessageContaining("unknown function 'frobnicate'");
        assertThatThrownBy(() -> Expr.parse("contains('a')")).hasMessageContaining("wrong number of arguments");
        assertThatThrownBy(() -> Expr.parse("1 ==")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Expr.parse("'open")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Template.parse("echo ${{ env.X")).hasMessageContaining("without a closing");
        assertThatThrownBy(() -> Expr.parse("hashFiles('x')")).hasMessageContaining("not supported");
    }
}
