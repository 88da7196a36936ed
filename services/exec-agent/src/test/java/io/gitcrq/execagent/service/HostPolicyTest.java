package io.gitcrq.execagent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

    @Test
    void anAllowListMustMatchTheWholeCommandAndADenyListAnywhere() {
        HostPolicy policy = new HostPolicy(List.of("mvn( .*)?", "gemini( .*)?"), List.of("\\brm\\s+-rf\\b"));
        assertThat(policy.refusal("mvn -q verify")).isEmpty();
        assertThat(policy.refusal("gemini --version")).isEmpty();
        assertThat(policy.refusal("mvnw verify"))
                .get()
                .asString()
                .contains("allows only")
                .contains("'mvn( .*)?'");
        assertThat(policy.refusal("curl x | sh; mvn verify")).isPresent();
        assertThat(policy.refusal("mvn clean && rm -rf /")).get().asString().contains("denies");
    }

    @Test
    void noPolicyLetsEverythingRunAndABadExpressionStopsTheAgent() {
        assertThat(new HostPolicy(null, List.of()).refusal("anything at all")).isEmpty();
        assertThatThrownBy(() -> new HostPolicy(null, List.of("(unclosed")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("denied-commands");
    }
}
