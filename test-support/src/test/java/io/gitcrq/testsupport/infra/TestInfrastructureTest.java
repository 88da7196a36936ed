package io.gitcrq.testsupport.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.testsupport.infra.TestInfrastructure.Kind;
import io.gitcrq.testsupport.infra.TestInfrastructure.TestPostgres;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestInfrastructureTest {

    private final AtomicInteger engineAsked = new AtomicInteger();

    private Kind decide(String value, boolean engine) {
        return TestInfrastructure.decide(value, () -> {
            engineAsked.incrementAndGet();
            return engine;
        });
    }

    @Test
    void unsetBlankOrLocalIsLocalWithoutAskingForAnEngine() {
        assertThat(decide(null, true)).isEqualTo(Kind.LOCAL);
        assertThat(decide(" ", true)).isEqualTo(Kind.LOCAL);
        assertThat(decide("local", true)).isEqualTo(Kind.LOCAL);
        assertThat(engineAsked).hasValue(0);
    }

    @Test
    void containersIsContainersWhateverTheEngineSays() {
        // Without an engine the containers' start fails with the reason; it never falls back to local.
        assertThat(decide("containers", false)).isEqualTo(Kind.CONTAINERS);
        assertThat(decide(" Containers ", false)).isEqualTo(Kind.CONTAINERS);
        assertThat(engineAsked).hasValue(0);
    }

    @Test
    void autoTakesContainersOnlyWhereAnEngineAnswers() {
        assertThat(decide("auto", true)).isEqualTo(Kind.CONTAINERS);
        assertThat(decide("auto", false)).isEqualTo(Kind.LOCAL);
        assertThat(engineAsked).hasValue(2);
    }

    @Test
    void anUnknownValueStopsTheTestsNamingIt() {
        assertThatThrownBy(() -> decide("docker", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GITCRQ_TEST_INFRASTRUCTURE=docker")
                .hasMessageContaining("local, containers, auto");
    }

    @Test
    void theMachinesServerComesFromTheSettingsTheServicesRead() {
        assertThat(TestPostgres.machine(Map.of())).isEqualTo(new TestPostgres("127.0.0.1", 5432, "postgres", ""));
        TestPostgres other = TestPostgres.machine(Map.of(
                "GITCRQ_DB_HOST", "db.example",
                "GITCRQ_DB_PORT", "6543",
                "GITCRQ_DB_USER", "gitcrq",
                "GITCRQ_DB_PASSWORD", "s3cret-value"));
        assertThat(other.jdbcUrl("crq")).isEqualTo("jdbc:postgresql://db.example:6543/crq");
        assertThat(other.toString()).contains("gitcrq@db.example:6543").doesNotContain("s3cret-value");
    }
}
