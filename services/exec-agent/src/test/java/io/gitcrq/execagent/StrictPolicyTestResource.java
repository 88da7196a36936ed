package io.gitcrq.execagent;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test agent of {@link TestTmuxResource} with the README's kind of host policy: a few programs allowed, {@code rm}
 * denied, and no shell allowed, so that no shell line, shell or script runs. Used through {@link Profile}, which runs
 * it instead of the global test resources (a {@code @QuarkusTestResource} would apply to every test class).
 */
public class StrictPolicyTestResource extends TestTmuxResource {

    @Override
    protected Map<String, String> config() {
        Map<String, String> config = new HashMap<>(super.config());
        config.put("gitcrq.exec.policy.allowed-commands", "ls,true,false,echo,touch,make");
        config.put("gitcrq.exec.policy.denied-commands", "rm,shutdown");
        config.remove("gitcrq.exec.policy.allowed-shells");
        // Commands run in the tests' temporary directories (and the agent's own places), nowhere else.
        config.put("gitcrq.exec.policy.allowed-dirs", System.getProperty("java.io.tmpdir"));
        return config;
    }

    /** The broker, a fresh database and this agent, and none of the global test resources. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(KafkaBrokerTestResource.class),
                    new TestResourceEntry(FreshDatabaseTestResource.class, Map.of("prefix", "execagent")),
                    new TestResourceEntry(StrictPolicyTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }
}
