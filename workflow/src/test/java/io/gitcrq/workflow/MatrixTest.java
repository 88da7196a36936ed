package io.gitcrq.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatrixTest {

    private static Object yaml(String text) {
        return YamlTree.parse(text, "test").toValue();
    }

    @Test
    void crossProductFirstKeyOutermostMinusExcludes() {
        List<Map<String, Object>> runs = Matrix.expand(yaml("""
                os: [a, b]
                n: [1, 2]
                exclude:
                  - os: b
                    n: 2
                """));
        assertThat(runs).extracting(Matrix::describe).containsExactly("(a, 1)", "(a, 2)", "(b, 1)");
    }

    @Test
    void includeExtendsMatchingCombinationsOrAddsItsOwn() {
        // The example from GitHub's documentation.
        List<Map<String, Object>> runs = Matrix.expand(yaml("""
                fruit: [apple, pear]
                animal: [cat, dog]
                include:
                  - color: green
                  - color: pink
                    animal: cat
                  - fruit: apple
                    shape: circle
                  - fruit: banana
                  - fruit: banana
                    animal: cat
                """));
        assertThat(runs)
                .containsExactly(
                        Map.of("fruit", "apple", "animal", "cat", "color", "pink", "shape", "circle"),
                        Map.of("fruit", "apple", "animal", "dog", "color", "green", "shape", "circle"),
                        Map.of("fruit", "pear", "animal", "cat", "color", "pink"),
                        Map.of("fruit", "pear", "animal", "dog", "color", "green"),
                        Map.of("fruit", "banana"),
                        Map.of("fruit", "banana", "animal", "cat"));
    }

    @Test
    void includeOnlyMatrix() {
        assertThat(Matrix.expand(yaml("include: [{a: 1}, {a: 2, b: x}]")))
                .extracting(Matrix::describe)
                .containsExactly("(1)", "(2, x)");
    }

    @Test
    void refusesWhatActionsRefuses() {
        assertThatThrownBy(() -> Matrix.expand(yaml("os: []"))).hasMessageContaining("'os' has no values");
        assertThatThrownBy(() -> Matrix.expand(yaml("os: a"))).hasMessageContaining("must be a sequence");
        assertThatThrownBy(() -> Matrix.expand(yaml("os: [a]\nexclude: [{os: a}]")))
                .hasMessageContaining("no combination");
        assertThatThrownBy(() -> Matrix.expand(yaml("os: [a]\nexclude: [{arch: x}]")))
                .hasMessageContaining("'arch'");
    }
}
