package io.gitcrq.model.event;

import java.time.Instant;

/**
 * A CRQ's title or description was edited by {@code editedBy} (its requester or an admin): {@code title} and
 * {@code description} are the CRQ's values after the edit, both always given, so a reader replaces what it kept.
 */
public record CrqEdited(String crqId, String title, String description, String editedBy, Instant editedAt)
        implements DomainEvent {
    public CrqEdited {
        Require.text(crqId, "crqId");
        Require.text(title, "title");
        Require.present(description, "description");
        Require.text(editedBy, "editedBy");
    }

    @Override
    public String partitionKey() {
        return crqId;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
