package io.gitcrq.kit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.MalformedEventException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class DeliveryFailuresTest {

    @Test
    void anUnreadableRecordIsTheRecordsFaultWhateverWrapsIt() {
        Throwable wrapped = new CompletionException(new MalformedEventException("not a CloudEvent"));

        assertThat(DeliveryFailures.unreadable(wrapped)).isTrue();
        assertThat(DeliveryFailures.ofInfrastructure(wrapped)).isFalse();
    }

    @Test
    void theDatabaseAClosedFactoryAndAStopAreTheInfrastructures() {
        assertThat(DeliveryFailures.ofInfrastructure(new PersistenceException(
                        "could not execute statement", new SQLException("connection refused"))))
                .isTrue();
        assertThat(DeliveryFailures.ofInfrastructure(new IllegalStateException("EntityManagerFactory is closed")))
                .isTrue();
        assertThat(DeliveryFailures.ofInfrastructure(new ServiceStoppingException("Consumer.consume")))
                .isTrue();
        // What SmallRye reported for a record whose blocking handler could not start: the worker pool had shut down.
        assertThat(DeliveryFailures.ofInfrastructure(
                        new RejectedExecutionException("WorkerPoolRegistry is being shut down")))
                .isTrue();
    }

    @Test
    void aBugIsNeitherAndGoesToTheDeadLetterTopic() {
        assertThat(DeliveryFailures.ofInfrastructure(new NullPointerException()))
                .isFalse();
        assertThat(DeliveryFailures.unreadable(new NullPointerException())).isFalse();
        assertThat(DeliveryFailures.ofInfrastructure(new IllegalStateException("branch state unknown")))
                .isFalse();
    }

    @Test
    void aLostConnectionIsToldFromAStatementTheDatabaseRefused() {
        // What PgJDBC and Hibernate said when pg_terminate_backend cut a consumer's connection mid-batch.
        assertThat(DeliveryFailures.connectionLost(new PersistenceException(
                        "JDBC exception", new SQLException("This connection has been closed.", "08003"))))
                .isTrue();
        assertThat(DeliveryFailures.connectionLost(
                        new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(DeliveryFailures.connectionLost(new IllegalStateException("Datasource has been closed")))
                .isTrue();
        // A value or a constraint the database refused is the record's matter, though of the infrastructure's kind.
        SQLException refused = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        assertThat(DeliveryFailures.connectionLost(new PersistenceException("could not insert", refused)))
                .isFalse();
        assertThat(DeliveryFailures.ofInfrastructure(new PersistenceException("could not insert", refused)))
                .isTrue();
    }
}
