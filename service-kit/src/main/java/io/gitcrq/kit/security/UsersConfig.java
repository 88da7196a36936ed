package io.gitcrq.kit.security;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Set;

/**
 * The users a service accepts, from configuration: {@code gitcrq.auth.users."alice".password} and
 * {@code gitcrq.auth.users."alice".roles}. The shipped users are for local development only.
 */
@ConfigMapping(prefix = "gitcrq.auth")
public interface UsersConfig {
    Map<String, User> users();

    interface User {
        String password();

        Set<String> roles();
    }
}
