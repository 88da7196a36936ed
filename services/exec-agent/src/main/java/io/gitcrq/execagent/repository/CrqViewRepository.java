package io.gitcrq.execagent.repository;

import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The agent's view of the CRQs, kept from crq-service's events (never from its tables). */
@ApplicationScoped
public class CrqViewRepository implements PanacheRepositoryBase<CrqView, String> {

    /** A CRQ created (again, on a redelivery: the row is left as it is, a later status kept). */
    public void created(CrqCreated created) {
        getEntityManager()
                .createNativeQuery("""
                        INSERT INTO crq_view (crq_id, title, description, requester, repo, status, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, 'OPEN', ?6)
                        ON CONFLICT (crq_id) DO NOTHING""")
                .setParameter(1, created.crqId())
                .setParameter(2, created.title())
                .setParameter(3, created.description())
                .setParameter(4, created.requester())
                .setParameter(5, created.repo())
                .setParameter(6, created.createdAt())
                .executeUpdate();
    }

    /** A status change of a CRQ this agent knows; one it never saw created stays unknown. */
    public void statusChanged(CrqStatusChanged changed) {
        update("status = ?1, updatedAt = ?2 where crqId = ?3", changed.to(), changed.at(), changed.crqId());
    }

    /** A CRQ's new title and description; a CRQ this agent never saw created stays unknown. */
    public void edited(CrqEdited edited) {
        update(
                "title = ?1, description = ?2, updatedAt = ?3 where crqId = ?4",
                edited.title(),
                edited.description(),
                edited.editedAt(),
                edited.crqId());
    }

    public Optional<CrqView> byId(String crqId) {
        return findByIdOptional(crqId);
    }
}
