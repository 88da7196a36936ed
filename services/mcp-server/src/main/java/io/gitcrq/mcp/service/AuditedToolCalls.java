package io.gitcrq.mcp.service;

import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.domain.ToolCall;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.model.secret.SecretArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Puts every tool call on the record: an {@link AgentToolCalled} event through the outbox (audit-collector chains it
 * as an {@code agent-tool-call} record in the CRQ's trail), its arguments and detail with secrets masked — those
 * named as secrets, those shaped like credentials, and the caller's own credentials in their encoded forms — and a
 * line of mcp-server's log (never the arguments).
 */
@ApplicationScoped
public class AuditedToolCalls implements ToolCallRecorder {

    private static final Logger LOG = Logger.getLogger("io.gitcrq.mcp.tool-calls");

    private final Outbox outbox;

    public AuditedToolCalls(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(ToolCall call) {
        SecretArguments masking = SecretArguments.knowing(secretsOf(call.caller()));
        String caller =
                call.caller().name() == null ? "anonymous" : call.caller().name();
        outbox.publish(new AgentToolCalled(
                UUID.randomUUID().toString(),
                crqOf(call.crqId()),
                call.tool(),
                masking.mask(call.arguments()),
                call.outcome().name(),
                masking.mask(call.detail()),
                caller,
                call.at().truncatedTo(ChronoUnit.MICROS)));
        LOG.infof(
                "tool %s by %s%s: %s%s",
                call.tool(),
                caller,
                call.crqId() == null ? "" : " for " + call.crqId(),
                call.outcome(),
                call.detail() == null ? "" : " (" + masking.mask(call.detail()) + ")");
    }

    /** The CRQ a call named, as CRQ-n; null when it named none or no valid one (the arguments show what it said). */
    static String crqOf(String named) {
        if (named == null) {
            return null;
        }
        try {
            return CrqId.parse(named).toString();
        } catch (IllegalArgumentException notACrq) {
            return null;
        }
    }

    /** The secret of the caller's own credentials: a basic password, a bearer token. */
    static List<String> secretsOf(Caller caller) {
        String authorization = caller.authorization();
        if (authorization == null) {
            return List.of();
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return List.of(authorization);
        }
        String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = authorization.substring(space + 1).trim();
        if (scheme.equals("basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? List.of(credentials) : List.of(credentials, decoded.substring(colon + 1));
            } catch (IllegalArgumentException notBase64) {
                return List.of(credentials);
            }
        }
        return List.of(credentials);
    }
}
