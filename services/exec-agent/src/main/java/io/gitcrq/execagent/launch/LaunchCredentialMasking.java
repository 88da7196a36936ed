package io.gitcrq.execagent.launch;

import io.gitcrq.execagent.recording.Redactor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Masks the launch profiles' credentials from the agent's start, not only from their first launch: panes inherit the
 * agent's environment, so a plain exec ({@code echo $GEMINI_API_KEY}) could otherwise print one before any launch
 * resolved it. A credential read from a file is masked from its first launch (the file may not exist yet now).
 */
@ApplicationScoped
public class LaunchCredentialMasking {

    private static final Logger LOG = Logger.getLogger(LaunchCredentialMasking.class);

    private final LaunchProfiles profiles;
    private final Redactor redactor;
    private final UnaryOperator<String> environment;

    public LaunchCredentialMasking(LaunchProfiles profiles, Redactor redactor) {
        this(profiles, redactor, System::getenv);
    }

    LaunchCredentialMasking(LaunchProfiles profiles, Redactor redactor, UnaryOperator<String> environment) {
        this.profiles = profiles;
        this.redactor = redactor;
        this.environment = environment;
    }

    void onStart(@Observes StartupEvent start) {
        registerEnvironmentCredentials();
    }

    /** Registers with the redactor every credential a profile takes from the environment; how many it found. */
    int registerEnvironmentCredentials() {
        int registered = 0;
        for (String name : profiles.list().keySet()) {
            LaunchProfile profile;
            try {
                profile = profiles.resolve(name);
            } catch (RuntimeException unreadable) {
                continue; // a launch of it says what is wrong
            }
            if (profile.credentials() == null) {
                continue;
            }
            for (CredentialReference reference : profile.credentials().values()) {
                if (reference.env() == null) {
                    continue;
                }
                try {
                    Optional<String> value = reference.resolve(environment);
                    if (value.isPresent()) {
                        redactor.register(value.get());
                        registered++;
                    }
                } catch (IOException e) {
                    LOG.debugf("credential %s not readable at start: %s", reference.describe(), e.getMessage());
                }
            }
        }
        return registered;
    }
}
