package io.gitcrq.mcp.domain;

import java.util.Set;

/**
 * Who calls a tool, and the credentials they called with: the {@code Authorization} header of their MCP request (HTTP
 * basic in the local profiles, a bearer token in production), forwarded unchanged to the owning service, which then
 * decides what they may do. {@link #toString()} never shows the credentials.
 */
public record Caller(String name, Set<String> roles, String authorization) {

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean hasAnyRole(Set<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    @Override
    public String toString() {
        return "Caller[" + name + " " + roles + "]";
    }
}
