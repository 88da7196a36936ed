package io.gitcrq.kit.security;

import java.util.Collection;
import java.util.Set;

/**
 * The configuration profiles that are local by nature: {@code dev}, {@code test}, and {@code local} (the profile
 * {@code ./gitcrq up} starts the services in). Only they have HTTP basic users; every other profile is production.
 */
public final class AuthProfiles {

    public static final Set<String> LOCAL = Set.of("dev", "test", "local");

    private AuthProfiles() {}

    /** Whether any of the active profiles is a local one. */
    public static boolean isLocal(Collection<String> activeProfiles) {
        return activeProfiles.stream().anyMatch(LOCAL::contains);
    }
}
