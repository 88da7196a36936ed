package io.gitcrq.deploy;

import java.util.List;

/**
 * One of the services: its module, its place in the port range and its database's name (null for a service without
 * one; every service has one today, mcp-server for its outbox only).
 */
public record ServiceSpec(String name, String module, int portOffset, String database) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("crq-service", "services/crq-service", 0, "crq"),
            new ServiceSpec("git-watcher", "services/git-watcher", 1, "gitwatcher"),
            new ServiceSpec("merge-bot", "services/merge-bot", 2, "mergebot"),
            new ServiceSpec("audit-collector", "services/audit-collector", 3, "audit"),
            new ServiceSpec("exec-agent", "services/exec-agent", 4, "execagent"),
            new ServiceSpec("console", "services/console", 5, "console"),
            new ServiceSpec("mcp-server", "services/mcp-server", 6, "mcp"));

    /** The services that run as several instances when asked ({@link #scales}). */
    private static final List<String> SCALING = List.of("crq-service", "git-watcher", "merge-bot", "audit-collector");

    /** The services every audit event goes through ({@link #carriesTheAuditTrail}). */
    private static final List<String> AUDIT_TRAIL = List.of("exec-agent", "audit-collector");

    /** The services with a database of their own (the platform creates, drops and purges theirs only). */
    public static final List<ServiceSpec> WITH_DATABASE =
            ALL.stream().filter(ServiceSpec::hasDatabase).toList();

    public boolean hasDatabase() {
        return database != null;
    }

    /** How many ports one instance of every service takes: the highest offset and one (offsets may leave gaps). */
    public static int portsPerInstance() {
        return ALL.stream().mapToInt(ServiceSpec::portOffset).max().orElse(0) + 1;
    }

    /**
     * Whether the platform runs several instances of it when asked ({@code ./gitcrq up --instances N}): the services
     * whose instances share the work safely. crq-service, git-watcher, merge-bot and audit-collector: their consumer
     * groups share the partitions, one instance relays each outbox (one reader per replication slot), git-watcher
     * polls a repository in one instance at a time (its advisory lock per repository) and merge-bot merges into a
     * repo:target in one at a time (its advisory lock per queue). exec-agent is a host agent driving the host's tmux;
     * the console's live pages follow the events its own instance reads; mcp-server stays one.
     */
    public boolean scales() {
        return SCALING.contains(name);
    }

    /**
     * Whether every audit event goes through it: exec-agent numbers and signs each, audit-collector checks, chains and
     * stores each. What they cost per event, more than what they cost to start, sets how fast the audit trail moves.
     */
    public boolean carriesTheAuditTrail() {
        return AUDIT_TRAIL.contains(name);
    }

    public static ServiceSpec named(String name) {
        return ALL.stream()
                .filter(s -> s.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + "; services: "
                        + ALL.stream().map(ServiceSpec::name).toList()));
    }
}
