package io.gitcrq.gitwatcher;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the git-watcher tests share: calling the API as a user, matching events, reading the database. */
final class TestSupport {

    private TestSupport() {}

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON);
    }

    static Response register(String name, String location) {
        return as("alice").body(Map.of("name", name, "location", location)).post("/repos");
    }

    /** Matches a record that is a gitcrq event of the type, about the repository, whose data passes. */
    /**
     * The answer is exactly what the shared API record {@code type} writes (the shape the CLI reads and its tests'
     * samples are written in): no field more or less, times written alike.
     */
    static void assertWrittenAs(String body, TypeReference<?> type) {
        try {
            JsonNode sent = EventCodec.mapper().readTree(body);
            Object read = EventCodec.mapper().readValue(body, type);
            assertThat(EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(read)))
                    .isEqualTo(sent);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a " + type.getType() + ": " + body, e);
        }
    }

    static Predicate<String> event(EventType type, String repo, Predicate<JsonNode> data) {
        return value -> {
            CloudEvent e;
            try {
                e = EventCodec.parse(value);
            } catch (RuntimeException notAnEvent) {
                return false;
            }
            return type.ceType().equals(e.type())
                    && repo.equals(e.data().path("repo").asText())
                    && data.test(e.data());
        };
    }

    static JsonNode data(ConsumerRecord<String, String> record) {
        return EventCodec.parse(record.value()).data();
    }

    /** A {@code SELECT count(*) …} with positional parameters ?1, ?2, … */
    static long count(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em().createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }

    /** How many CommitPushed the outbox holds for the commit. */
    static long commitPushedCount(String repo, String commitId) {
        return count(
                "SELECT count(*) FROM outbox_event WHERE event_type = ?1 AND message_key = ?2 AND payload LIKE ?3",
                EventType.COMMIT_PUSHED.ceType(),
                repo,
                "%\"commitId\":\"" + commitId + "\"%");
    }

    /** The data of every CommitPushed of the repository in the outbox. */
    @SuppressWarnings("unchecked")
    static List<JsonNode> commitsPushed(String repo) {
        List<String> payloads = QuarkusTransaction.requiringNew()
                .call(() -> em().createNativeQuery(
                                "SELECT payload FROM outbox_event WHERE event_type = ?1 AND message_key = ?2")
                        .setParameter(1, EventType.COMMIT_PUSHED.ceType())
                        .setParameter(2, repo)
                        .getResultList());
        return payloads.stream().map(p -> EventCodec.parse(p).data()).toList();
    }

    static void execute(String sql, Object... params) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = em().createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            query.executeUpdate();
        });
    }

    private static EntityManager em() {
        return Arc.container().instance(EntityManager.class).get();
    }
}
