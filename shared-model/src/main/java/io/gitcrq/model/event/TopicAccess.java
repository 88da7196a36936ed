package io.gitcrq.model.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may write and who may read each topic of {@link Topics}, defined once: the broker turns this table into
 * its ACLs, and each service authenticates as the principal named after it ({@code User:<service>}).
 * <p>
 * exec-agent is one service on many hosts: each host signs in as a principal of its own,
 * {@code User:exec-agent-<host>} ({@link #execAgentPrincipal}), with exec-agent's topics and only its own three consumer
 * groups ({@link #execAgentGroups}), so that one host can neither take another's exec requests nor move its offsets,
 * and a host taken out of service loses its access alone.
 * <p>
 * Events are written by the service that owns them: crq-service alone writes CRQ events, merge-bot merge events,
 * git-watcher Git events, exec-agent exec and audit events, mcp-server agent events (the tool calls agents made). crq-service writes exec requests, each with an exec grant
 * for the person who asked ({@code io.gitcrq.model.exec.ExecGrant}); the broker's administrator can write them too, but
 * without a grant signed by a key the agent trusts nothing it writes runs. A reader reads the topics it has an
 * {@code @Incoming} channel on, in consumer groups whose id starts with its name (its default group is its name;
 * exec-agent's hosts read in their own three groups only). Each service writes its own
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

    /**
     * What a host name must be to name an exec-agent's principal and consumer groups: letters, digits, '.' and '-', 1 to
     * 63 of them, a letter or digit at each end (a host name, as Kubernetes and Strimzi take it for a KafkaUser). Not
     * {@code crqs-…} or {@code repos-…}: host {@code a}'s CRQ group {@code exec-agent-crqs-a} would be host
     * {@code crqs-a}'s exec request group.
     */
    private static final Pattern EXEC_HOST =
            Pattern.compile("(?!crqs-|repos-)[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");

    private static final String EXEC_AGENT_PRINCIPAL_PREFIX = EXEC_AGENT + "-";

    /** The principal exec-agent signs in as on {@code host}: {@code exec-agent-<host>}. */
    public static String execAgentPrincipal(String host) {
        return EXEC_AGENT_PRINCIPAL_PREFIX + requireExecHost(host);
    }

    /**
     * The host whose exec-agent signs in as {@code principal}, or empty if it is no host's (a central service, the
     * administrator, a name that is no valid host).
     */
    public static Optional<String> execAgentHost(String principal) {
        if (principal == null || !principal.startsWith(EXEC_AGENT_PRINCIPAL_PREFIX)) {
            return Optional.empty();
        }
        String host = principal.substring(EXEC_AGENT_PRINCIPAL_PREFIX.length());
        return EXEC_HOST.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }

    /**
     * The consumer groups exec-agent on {@code host} reads in, and the only ones its principal may use: its exec
     * requests ({@code exec-agent-<host>}), its view of the CRQs ({@code exec-agent-crqs-<host>}) and of the watched
     * repositories ({@code exec-agent-repos-<host>}) — a group per host, since every agent needs every record.
     * exec-agent's application.properties names the same (TopicAccessTest checks it).
     */
    public static List<String> execAgentGroups(String host) {
        requireExecHost(host);
        return List.of(
                EXEC_AGENT_PRINCIPAL_PREFIX + host,
                EXEC_AGENT_PRINCIPAL_PREFIX + "crqs-" + host,
                EXEC_AGENT_PRINCIPAL_PREFIX + "repos-" + host);
    }

    /** The host name, if it can name an exec-agent (see {@link #EXEC_HOST}); an IllegalArgumentException otherwise. */
    public static String requireExecHost(String host) {
        if (host == null || !EXEC_HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("not a valid exec-agent host name: \"" + host
                    + "\" (1-63 letters, digits, '.' and '-', a letter or digit at each end, not starting crqs- or"
                    + " repos-; set gitcrq.exec.host / GITCRQ_EXEC_HOST)");
        }
        return host;
    }

    /**
     * The prefix of the ids of the consumer groups a central service may use: its name. (exec-agent's hosts use
     * {@link #execAgentGroups} instead.)
     */
    public static String consumerGroupPrefix(String service) {
        requireService(service);
        if (service.equals(EXEC_AGENT)) {
            throw new IllegalArgumentException("exec-agent's groups are per host: execAgentGroups(host)");
        }
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
