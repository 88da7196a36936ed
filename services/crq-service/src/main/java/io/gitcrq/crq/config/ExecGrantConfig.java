package io.gitcrq.crq.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/**
 * {@code gitcrq.exec.*} on crq-service: who may have commands run through Kafka and how their exec grants are signed.
 * {@code allowed-roles} is the key, and the meaning, exec-agent checks the grant's roles against.
 */
@ConfigMapping(prefix = "gitcrq.exec")
public interface ExecGrantConfig {

    /** Roles that may have commands run; a user needs one of them. */
    @WithDefault("requester,admin")
    Set<String> allowedRoles();

    Grant grant();

    /** {@code gitcrq.exec.grant.*}. */
    interface Grant {
        /**
         * The private key exec grants are signed with (PEM, mode 0600; made with its public half {@code <file>.pub}
         * on first start). exec-agents trust that public half ({@code gitcrq.exec.grant.trusted-keys}).
         */
        String signingKeyFile();

        /** How long a grant is valid: the agent must start the command within it. */
        @WithDefault("PT5M")
        Duration ttl();
    }
}
