package io.gitcrq.model.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may write and who may read each topic of {@link Topics}, defined once: the broker turns this table into
 * its ACLs, and each service authenticates as the principal named after it ({@code User:<service>}).
 * <p>
 * Events are written by the service that owns them: crq-service alone writes CRQ events, merge-bot merge events,
 * git-watcher Git events, exec-agent exec and audit events, mcp-server agent events (the tool calls agents made). crq-service writes exec requests, each with an exec grant
 * for the person who asked ({@code io.gitcrq.model.exec.ExecGrant}); the broker's administrator can write them too, but
 * without a grant signed by a key the agent trusts nothing it writes runs. A reader reads the topics it has an
 * {@code @Incoming} channel on, in consumer groups whose id starts with its name (its default group is its name;
 * exec-agent's are {@code exec-agent-<host>}, {@code exec-agent-crqs-<host>} and {@code exec-agent-repos-<host>}). Each service writes its own
 * dead-letter topic ({@link Topics#deadLetter}) and nothing else.
 */
public final class TopicAccess {

    public static final String CRQ_SERVICE = "crq-service";
    public static final String GIT_WATCHER = "git-watcher";
    public static final String MERGE_BOT = "merge-bot";
    public static final String AUDIT_COLLECTOR = "audit-collector";
    public static final String EXEC_AGENT = "exec-agent";
    /** The live dashboard: reads every topic, writes none (but its dead-letter topic). */
    public static final String CONSOLE = "console";

    public static final String MCP_SERVER = "mcp-server";

    /** Every service, each a principal of its own ({@code User:<service>}). */
    public static final List<String> SERVICES =
            List.of(CRQ_SERVICE, GIT_WATCHER, MERGE_BOT, AUDIT_COLLECTOR, EXEC_AGENT, CONSOLE, MCP_SERVER);

    /** Who writes and who reads one topic. */
    public record Grant(String topic, Set<String> writers, Set<String> readers) {}

    private static final Map<String, Grant> GRANTS = table(
            new Grant(
                    Topics.GIT_EVENTS,
                    Set.of(GIT_WATCHER),
                    Set.of(CRQ_SERVICE, MERGE_BOT, AUDIT_COLLECTOR, EXEC_AGENT, CONSOLE)),
            new Grant(Topics.CRQ_EVENTS, Set.of(CRQ_SERVICE), Set.of(MERGE_BOT, EXEC_AGENT, AUDIT_COLLECTOR, CONSOLE)),
            new Grant(Topics.MERGE_EVENTS, Set.of(MERGE_BOT), Set.of(CRQ_SERVICE, MERGE_BOT, AUDIT_COLLECTOR, CONSOLE)),
            new Grant(Topics.EXEC_REQUESTS, Set.of(CRQ_SERVICE), Set.of(EXEC_AGENT, AUDIT_COLLECTOR, CONSOLE)),
            new Grant(Topics.EXEC_EVENTS, Set.of(EXEC_AGENT), Set.of(AUDIT_COLLECTOR, CONSOLE)),
            new Grant(Topics.AUDIT_EVENTS, Set.of(EXEC_AGENT), Set.of(AUDIT_COLLECTOR, CONSOLE)),
            new Grant(Topics.AGENT_EVENTS, Set.of(MCP_SERVER), Set.of(AUDIT_COLLECTOR, CONSOLE)));

    private static Map<String, Grant> table(Grant... grants) {
        Map<String, Grant> byTopic = new LinkedHashMap<>();
        for (Grant g : grants) {
            byTopic.put(g.topic(), g);
        }
        if (!byTopic.keySet().equals(Set.copyOf(Topics.ALL))) {
            throw new IllegalStateException("TopicAccess must name every topic of Topics.ALL exactly once");
        }
        return Map.copyOf(byTopic);
    }

    /** The grant of every topic of {@link Topics#ALL}, in that order. */
    public static List<Grant> grants() {
        return Topics.ALL.stream().map(GRANTS::get).toList();
    }

    /** The topics the service writes, its dead-letter topic last. */
    public static List<String> writes(String service) {
        requireService(service);
        List<String> topics = new java.util.ArrayList<>(grants().stream()
                .filter(g -> g.writers().contains(service))
                .map(Grant::topic)
                .toList());
        topics.add(Topics.deadLetter(service));
        return List.copyOf(topics);
    }

    /** The topics the service reads. */
    public static List<String> reads(String service) {
        requireService(service);
        return grants().stream()
                .filter(g -> g.readers().contains(service))
                .map(Grant::topic)
                .toList();
    }

    /** The prefix of the ids of the consumer groups the service may use: its name. */
    public static String consumerGroupPrefix(String service) {
        requireService(service);
        return service;
    }

    /** Every dead-letter topic, one per service. */
    public static List<String> deadLetterTopics() {
        return SERVICES.stream().map(Topics::deadLetter).toList();
    }

    private static void requireService(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("no service " + service + "; services: " + SERVICES);
        }
    }

    private TopicAccess() {}
}
