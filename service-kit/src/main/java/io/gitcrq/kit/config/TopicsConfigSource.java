package io.gitcrq.kit.config;

import io.gitcrq.model.event.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes the topic constants of {@link Topics} available to configuration, so channel definitions in a
 * service's {@code application.properties} say {@code topic=${gitcrq.topic.git-events}} instead of
 * repeating topic names. {@code gitcrq.topic.dead-letter} is the running service's own dead-letter topic
 * (named after {@code quarkus.application.name}), which every channel uses by default.
 */
public class TopicsConfigSource implements ConfigSource {

    private final Map<String, String> properties = new HashMap<>();

    public TopicsConfigSource() {
        properties.put("gitcrq.topic.git-events", Topics.GIT_EVENTS);
        properties.put("gitcrq.topic.crq-events", Topics.CRQ_EVENTS);
        properties.put("gitcrq.topic.merge-events", Topics.MERGE_EVENTS);
        properties.put("gitcrq.topic.exec-requests", Topics.EXEC_REQUESTS);
        properties.put("gitcrq.topic.exec-events", Topics.EXEC_EVENTS);
        properties.put("gitcrq.topic.audit-events", Topics.AUDIT_EVENTS);
        properties.put("gitcrq.topic.agent-events", Topics.AGENT_EVENTS);
        properties.put("gitcrq.topic.dead-letter", Topics.deadLetter("${quarkus.application.name}"));
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public String getName() {
        return "gitcrq-topics";
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250): a deployment may still rename a topic.
        return 200;
    }
}
