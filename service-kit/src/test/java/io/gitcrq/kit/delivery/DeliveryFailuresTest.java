package io.gitcrq.kit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.MalformedEventException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
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
    }

    @Test
    void aBugIsNeitherAndGoesToTheDeadLetterTopic() {
        assertThat(DeliveryFailures.ofInfrastructure(new NullPointerException()))
                .isFalse();
        assertThat(DeliveryFailures.unreadable(new NullPointerException())).isFalse();
        assertThat(DeliveryFailures.ofInfrastructure(new IllegalStateException("branch state unknown")))
                .isFalse();
    }
}
