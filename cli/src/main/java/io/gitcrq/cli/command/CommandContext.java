package io.gitcrq.cli.command;

import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Printer;
import io.gitcrq.cli.process.CliEnvironment;
import java.util.Optional;

/**
 * What a command gets from the {@code gitcrq} command it runs under (picocli injects it as the parent): where it runs,
 * how it prints, and a client for each service with the caller's credentials. Commands know this, not the top-level
 * command class, which lists them.
 */
public interface CommandContext {

    CliEnvironment environment();

    Printer printer();

    ServiceClient client(Service service);

    /** The token given with {@code --token}, if one was. */
    Optional<String> tokenOption();
}
