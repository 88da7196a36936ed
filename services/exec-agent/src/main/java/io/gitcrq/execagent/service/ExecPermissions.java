package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.kit.security.UsersConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;

/** Who may have commands run: a user holding one of {@code gitcrq.exec.allowed-roles}. */
@ApplicationScoped
public class ExecPermissions {

    private final Set<String> allowedRoles;
    private final UsersConfig users;

    public ExecPermissions(ExecAgentConfig config, UsersConfig users) {
        this.allowedRoles = Set.copyOf(config.allowedRoles());
        this.users = users;
    }

    public boolean allows(Set<String> roles) {
        return roles.stream().anyMatch(allowedRoles::contains);
    }

    /** For requests arriving by Kafka: the user they name must be one of ours, with an allowed role. */
    public boolean allowsUser(String user) {
        UsersConfig.User known = users.users().get(user);
        return known != null && allows(known.roles());
    }

    public String refusal(String user) {
        return user + " holds none of the roles that may run commands " + new TreeSet<>(allowedRoles);
    }
}
