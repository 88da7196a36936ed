package io.gitcrq.audit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Turns retention on (one year) for the test application, without another boot. The scheduled run stays an
 * interval (6 hours) away; tests apply retention to hosts of their own through POST /audit/retention?host=.
 */
public class RetentionConfigTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("gitcrq.audit.retention", "P365D");
    }

    @Override
    public void stop() {}
}
