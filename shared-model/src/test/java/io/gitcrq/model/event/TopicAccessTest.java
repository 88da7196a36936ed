package io.gitcrq.model.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ACL table against what the services really do: each service reads exactly the topics it has an incoming
 * channel on (its {@code application.properties}), in consumer groups named after it, and writes exactly the topics
 * of the events its main sources construct.
 */
class TopicAccessTest {

    private static final Path SERVICES = Path.of("..", "services");
    private static final Pattern TOPIC_REF = Pattern.compile("\\$\\{gitcrq\\.topic\\.([a-z-]+)}");

    @Test
    void everyTopicHasItsGrantAndEveryServiceItsDeadLetterTopic() {
        assertThat(TopicAccess.grants()).extracting(TopicAccess.Grant::topic).containsExactlyElementsOf(Topics.ALL);
        for (String service : TopicAccess.SERVICES) {
            assertThat(TopicAccess.writes(service)).endsWith(Topics.deadLetter(service));
        }
        assertThat(TopicAccess.writes(TopicAccess.AUDIT_COLLECTOR))
                .as("audit-collector publishes nothing")
                .containsExactly(Topics.deadLetter(TopicAccess.AUDIT_COLLECTOR));
    }

    @Test
    void readersAreTheServicesWithAnIncomingChannelOnTheTopicInTheirOwnGroups() throws IOException {
        Map<String, Set<String>> readsByConfig = new TreeMap<>();
        for (String service : TopicAccess.SERVICES) {
            Properties p = applicationProperties(service);
            assertThat(p.getProperty("quarkus.application.name")).isEqualTo(service);
            Set<String> topics = new TreeSet<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")) {
                    Matcher m = TOPIC_REF.matcher(p.getProperty(key));
                    assertThat(m.matches())
                            .as(key + " names its topic as ${gitcrq.topic.<name>}")
                            .isTrue();
                    topics.add("gitcrq." + m.group(1) + ".v1");
                }
                if (key.startsWith("mp.messaging.incoming.")
                        && key.endsWith(".group.id")
                        && service.equals(TopicAccess.EXEC_AGENT)) {
                    assertThat(p.getProperty(key).replace("${gitcrq.exec.host}", "host-1"))
                            .as(key + " is one of the groups a host's principal may use")
                            .isIn(TopicAccess.execAgentGroups("host-1"));
                } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                    assertThat(p.getProperty(key))
                            .as(key + " is a group of the service's own")
                            .startsWith(TopicAccess.consumerGroupPrefix(service) + "-");
                }
            }
            readsByConfig.put(service, topics);
        }
        for (String service : TopicAccess.SERVICES) {
            assertThat(TopicAccess.reads(service))
                    .as("topics %s reads", service)
                    .containsExactlyInAnyOrderElementsOf(readsByConfig.get(service));
        }
    }

    @Test
    void eachExecAgentHostHasAPrincipalAndGroupsOfItsOwn() {
        assertThat(TopicAccess.execAgentPrincipal("build-7.example.com")).isEqualTo("exec-agent-build-7.example.com");
        assertThat(TopicAccess.execAgentHost("exec-agent-build-7.example.com")).contains("build-7.example.com");
        assertThat(TopicAccess.execAgentHost(TopicAccess.CRQ_SERVICE)).isEmpty();
        assertThat(TopicAccess.execAgentHost(TopicAccess.EXEC_AGENT)).isEmpty();
        assertThat(TopicAccess.execAgentGroups("a"))
                .containsExactly("exec-agent-a", "exec-agent-crqs-a", "exec-agent-repos-a");
        // Host names that would make another host's groups, or break a principal, a KafkaUser or a JAAS line.
        for (String bad :
                new String[] {"crqs-a", "repos-a", "", "-a", "a-", "a b", "a\"", "a_b", "x".repeat(64), null}) {
            assertThatThrownBy(() -> TopicAccess.execAgentPrincipal(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("GITCRQ_EXEC_HOST");
        }
    }

    @Test
    void writersAreTheServicesThatMakeTheTopicsEvents() throws IOException {
        for (String service : TopicAccess.SERVICES) {
            String sources = mainSources(service);
            Set<String> made = new TreeSet<>();
            for (EventType type : EventType.values()) {
                String name = type.dataClass().getSimpleName();
                boolean makes = sources.contains("new " + name + "(")
                        || (type.dataClass() == AuditCaptured.class && sources.contains("AuditEvents.captured("));
                if (makes) {
                    made.add(type.topic());
                }
            }
            Set<String> granted = new TreeSet<>(TopicAccess.writes(service));
            granted.remove(Topics.deadLetter(service));
            assertThat(granted).as("topics %s writes", service).isEqualTo(made);
        }
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(
                SERVICES.resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static String mainSources(String service) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(SERVICES.resolve(service).resolve("src/main/java"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }
}
