package io.gitcrq.mcp.domain;

import io.gitcrq.model.policy.CrqId;
import java.util.Set;

/**
 * Who calls a tool, and the credentials they called with: the {@code Authorization} header of their MCP request (HTTP
 * basic in the local profiles, a bearer token in production), forwarded unchanged to the owning service, which then
 * decides what they may do. Called with a CRQ-scoped token ({@link CrqToken}), {@code crq} is the one CRQ they may act
 * on and {@code authorization} the token's maker's own; otherwise {@code crq} is null. {@link #toString()} never shows
 * the credentials.
 */
public record Caller(String name, Set<String> roles, String authorization, String crq) {

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** A caller with no CRQ scope. */
    public Caller(String name, Set<String> roles, String authorization) {
        this(name, roles, authorization, null);
    }

    /** Whether they called with a token for one CRQ. */
    public boolean scoped() {
        return crq != null;
    }

    /** Whether they may act on {@code crqId}: any CRQ unscoped, else only theirs, however its id is spelt. */
    public boolean mayActOn(String crqId) {
        if (!scoped()) {
            return true;
        }
        if (crqId == null) {
            return false;
        }
        try {
            return CrqId.parse(crqId).equals(CrqId.parse(crq));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean hasAnyRole(Set<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    @Override
    public String toString() {
        return "Caller[" + name + " " + roles + (scoped() ? " for " + crq : "") + "]";
    }
}
