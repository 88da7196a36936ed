package io.gitcrq.console.service;

import io.gitcrq.console.repository.ReadModelWrites;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Whether the console started on a new database. A new read model is filled from the start of every topic (the
 * messaging edge rewinds each partition once), whatever offsets the consumer group kept from an earlier database.
 */
@ApplicationScoped
public class ReadModelStart {

    private static final Logger LOG = Logger.getLogger(ReadModelStart.class);

    private final ReadModelWrites writes;
    private Boolean fresh;

    public ReadModelStart(ReadModelWrites writes) {
        this.writes = writes;
    }

    void onStart(@Observes StartupEvent start) {
        rebuilding();
    }

    /**
     * True when this process found the database new: it rebuilds the read model from the topics. Decided on the
     * first call (at start, or by a channel's first partition assignment if that comes first), then fixed.
     */
    @Transactional
    public synchronized boolean rebuilding() {
        if (fresh == null) {
            fresh = writes.markCreated();
            if (fresh) {
                LOG.info("new read model: reading every topic from its start");
            }
        }
        return fresh;
    }
}
