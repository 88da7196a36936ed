package io.gitcrq.deploy;

import java.util.List;

/** One of the five services: its module, its place in the port range and its database's name. */
public record ServiceSpec(String name, String module, int portOffset, String database) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("crq-service", "services/crq-service", 0, "crq"),
            new ServiceSpec("git-watcher", "services/git-watcher", 1, "gitwatcher"),
            new ServiceSpec("merge-bot", "services/merge-bot", 2, "mergebot"),
            new ServiceSpec("audit-collector", "services/audit-collector", 3, "audit"),
            new ServiceSpec("exec-agent", "services/exec-agent", 4, "execagent"));

    public static ServiceSpec named(String name) {
        return ALL.stream()
                .filter(s -> s.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + "; services: "
                        + ALL.stream().map(ServiceSpec::name).toList()));
    }
}
