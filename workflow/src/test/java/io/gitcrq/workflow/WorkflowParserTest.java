package io.gitcrq.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowParserTest {

    @Test
    void readsJobsStepsAndDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stage.yml");
        Files.writeString(file, """
                name: stage
                on: [push]
                env:
                  A: 1
                  B: true
                defaults:
                  run:
                    shell: bash
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo hi
                  test:
                    name: Test ${{ matrix.n }}
                    needs: build
                    strategy:
                      matrix:
                        n: [1, 2]
                    steps:
                      - id: t
                        name: Run tests
                        run: |
                          echo one
                          echo two
                        continue-on-error: true
                        timeout-minutes: 1.5
                """);
        Workflow workflow = Workflow.load(file);
        assertThat(workflow.name()).isEqualTo("stage");
        assertThat(workflow.env()).containsEntry("A", "1").containsEntry("B", "true");
        assertThat(workflow.defaultShell()).isEqualTo("bash");
        assertThat(workflow.jobs()).extracting(JobDefinition::id).containsExactly("build", "test");
        JobDefinition test = workflow.job("test").orElseThrow();
        assertThat(test.needs()).containsExactly("build");
        assertThat(test.line()).isEqualTo(14);
        StepDefinition step = test.steps().get(0);
        assertThat(step.id()).isEqualTo("t");
        assertThat(step.continueOnError()).isEqualTo("true");
        assertThat(step.timeoutMinutes()).isEqualTo("1.5");
        assertThat(step.line()).isEqualTo(21);
        assertThat(workflow.job("build").orElseThrow().steps().get(0).displayName())
                .isEqualTo("Run echo hi");
    }

    @Test
    void refusesUsesNamingTheStepAndLine() {
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  build:
                    steps:
                      - run: echo hi
                      - name: Checkout
                        uses: actions/checkout@v4
                """, "ci.yml"))
                .isInstanceOf(WorkflowException.class)
                .hasMessageStartingWith("ci.yml:6: job 'build' step 2 ('Checkout'): 'uses: actions/checkout@v4'")
                .hasMessageContaining("not supported");
    }

    @Test
    void refusesTemplateDirectivesAsKeysInsteadOfTakingThemForNames() {
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  build:
                    env:
                      ${{ insert }}: ${{ fromJSON('{"A":"1"}') }}
                    steps:
                      - run: echo hi
                """, "ci.yml"))
                .isInstanceOf(WorkflowException.class)
                .hasMessageStartingWith("ci.yml:4: an expression as a key ('${{ insert }}'")
                .hasMessageContaining("not supported");
    }

    @Test
    void refusesCycles() {
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    needs: c
                    steps: [{run: 'true'}]
                  b:
                    needs: a
                    steps: [{run: 'true'}]
                  c:
                    needs: [b]
                    steps: [{run: 'true'}]
                """, "ci.yml"))
                .isInstanceOf(WorkflowException.class)
                .hasMessageContaining("cycle: a -> c -> b -> a");
    }

    @Test
    void refusesUnknownNeedsBadYamlAndBadExpressions() {
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    needs: [nope]
                    steps: [{run: 'true'}]
                """, "ci.yml"))
                .hasMessage("ci.yml:2: job 'a' needs 'nope', which is not a job in this workflow (jobs: a)");
        assertThatThrownBy(() -> Workflow.parse("jobs:\n  a: [unclosed\n", "ci.yml"))
                .isInstanceOf(WorkflowException.class)
                .hasMessageStartingWith("ci.yml: not valid YAML");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    steps:
                      - run: echo ${{ steps.x.outputs.y ==  }}
                """, "ci.yml"))
                .hasMessageStartingWith("ci.yml:4: job 'a' step 1 'run:': unexpected end");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    if: matrix.os == 'x'
                    steps: [{run: 'true'}]
                """, "ci.yml"))
                .hasMessageContaining("'matrix' context is not available in a job's if");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    stepz: [{run: 'true'}]
                """, "ci.yml")).hasMessageContaining("unknown key 'stepz'");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    steps:
                      - run: 'true'
                        timeout-minutes: soon
                """, "ci.yml"))
                .hasMessageContaining("'timeout-minutes:' must be a positive number");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    strategy:
                      matrix:
                        os: []
                    steps: [{run: 'true'}]
                """, "ci.yml"))
                .hasMessageContaining("matrix vector 'os' has no values");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    uses: ./.github/workflows/other.yml
                """, "ci.yml"))
                .hasMessageContaining("'uses:' (a reusable workflow) is not supported");
        assertThatThrownBy(() -> Workflow.parse("jobs: {}", "ci.yml")).hasMessageContaining("no jobs");
        assertThatThrownBy(() -> Workflow.parse("""
                jobs:
                  a:
                    steps:
                      - run: 'true'
                        shell: cmd
                """, "ci.yml")).hasMessageContaining("Windows shell");
    }
}
