package io.gitcrq.execagent;

import java.util.HashMap;
import java.util.Map;

/**
 * The test agent of {@link TestTmuxResource} with the README's kind of host policy: a few programs allowed, {@code rm}
 * denied, and no shell allowed, so that no shell line, shell or script runs.
 */
public class StrictPolicyTestResource extends TestTmuxResource {

    @Override
    protected Map<String, String> config() {
        Map<String, String> config = new HashMap<>(super.config());
        config.put("gitcrq.exec.policy.allowed-commands", "ls,true,false,echo,touch,make");
        config.put("gitcrq.exec.policy.denied-commands", "rm,shutdown");
        config.remove("gitcrq.exec.policy.allowed-shells");
        return config;
    }
}
