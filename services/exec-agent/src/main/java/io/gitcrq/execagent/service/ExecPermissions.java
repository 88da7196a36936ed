package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may have commands run: a user holding one of {@code gitcrq.exec.allowed-roles} — the roles of the authenticated
 * caller for REST, those its exec grant names for a request arriving by Kafka ({@link ExecGrants}).
 */
@ApplicationScoped
public class ExecPermissions {

    private final Set<String> allowedRoles;

    public ExecPermissions(ExecAgentConfig config) {
        this.allowedRoles = Set.copyOf(config.allowedRoles());
    }

    public boolean allows(Set<String> roles) {
        return roles.stream().anyMatch(allowedRoles::contains);
    }

    public String refusal(String user) {
        return user + " holds none of the roles that may run commands " + new TreeSet<>(allowedRoles);
    }
}
