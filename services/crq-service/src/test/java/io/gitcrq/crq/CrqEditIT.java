package io.gitcrq.crq;

import static io.gitcrq.crq.CrqRequests.as;
import static io.gitcrq.crq.CrqRequests.createCrq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.gitcrq.cli.CliRunner;
import io.gitcrq.cli.http.Service;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Editing a CRQ's title and description ({@code PATCH /crqs/{id}}, {@code gitcrq crq edit}): the row changes and
 * CrqEdited is on the real topic; everything else is refused with a problem body and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "crq"))
class CrqEditIT {

    /** Reads CRQ events as merge-bot does (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.MERGE_BOT);

    @Inject
    EntityManager em;

    @Test
    void theRequesterEditsTitleAndDescriptionThroughTheCliAndOtherServicesAreTold() {
        String id = createCrq("alice", "Login timout");

        CliRunner.Result run = gitcrq(
                "--user", "alice", "crq", "edit", id, "--title", "Login timeout", "--description", "Sessions: 30 min");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("edited " + id + ": Login timeout\n");
        assertThat(row(id)).containsExactly("Login timeout", "Sessions: 30 min");
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("io.gitcrq.CrqEdited.v1")
                        && v.contains("\"crqId\":\"" + id + "\"")
                        && v.contains("\"title\":\"Login timeout\"")
                        && v.contains("\"description\":\"Sessions: 30 min\"")
                        && v.contains("\"editedBy\":\"alice\""),
                Duration.ofMinutes(2));

        // One field alone: the other stays; --json shows the CRQ as the service answered.
        CliRunner.Result json = gitcrq("--user", "alice", "--json", "crq", "edit", id, "--description", "");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"title\" : \"Login timeout\"", "\"description\" : \"\"");
        assertThat(row(id)).containsExactly("Login timeout", "");

        // An admin may edit another's CRQ.
        as("admin")
                .body("{\"title\":\"Login timeout (30 min)\"}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(200)
                .body("title", equalTo("Login timeout (30 min)"));
        topics.await(
                Topics.CRQ_EVENTS,
                v -> v.contains("io.gitcrq.CrqEdited.v1")
                        && v.contains("\"crqId\":\"" + id + "\"")
                        && v.contains("\"editedBy\":\"admin\""),
                Duration.ofMinutes(2));
    }

    @Test
    void onlyTheRequesterOrAnAdminMayEdit() {
        String id = createCrq("alice", "Mine");
        for (String other : List.of("dave", "bob")) {
            as(other)
                    .body("{\"title\":\"Theirs\"}")
                    .patch("/crqs/" + id)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("only the requester (alice) or an admin may edit " + id));
        }
        CliRunner.Result run = gitcrq("--user", "dave", "crq", "edit", id, "--title", "Theirs");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("only the requester (alice) or an admin may edit " + id);
        assertThat(row(id)).containsExactly("Mine", "why");
    }

    @Test
    void badEditsAreRefusedWith400AndUnknownCrqsWith404() {
        String id = createCrq("alice", "Kept");
        as("alice")
                .body("{}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("title or description must be given"));
        as("alice")
                .body("{\"title\":\"  \",\"description\":\"" + "x".repeat(20001) + "\"}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("title must not be blank"))
                .body("detail", containsString("description size must be between 0 and 20000"));
        as("alice")
                .body("{\"title\":\"a\\u0000b\"}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as("alice").body("[1]").patch("/crqs/" + id).then().statusCode(400);
        as("alice")
                .body("{\"title\":\"x\"}")
                .patch("/crqs/CRQ-987654")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as("alice").body("{\"title\":\"x\"}").patch("/crqs/nope").then().statusCode(404);

        CliRunner.Result blank = gitcrq("--user", "alice", "crq", "edit", id, "--title", " ");
        assertThat(blank.exitCode()).isEqualTo(1);
        assertThat(blank.err()).contains("title must not be blank");
        CliRunner.Result nothing = gitcrq("--user", "alice", "crq", "edit", id);
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("give --title, --description or both");
        assertThat(row(id)).containsExactly("Kept", "why");
    }

    @Test
    void aClosedCrqIsNoLongerEdited() {
        String id = createCrq("alice", "Given up");
        as("alice").post("/crqs/" + id + "/cancel").then().statusCode(200);
        as("alice")
                .body("{\"title\":\"Revived\"}")
                .patch("/crqs/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(id + " is CANCELLED"));
        CliRunner.Result run = gitcrq("--user", "alice", "crq", "edit", id, "--title", "Revived");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(id + " is CANCELLED");
        assertThat(row(id)).containsExactly("Given up", "why");
    }

    @Transactional
    List<String> row(String id) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT title, description FROM change_request WHERE id = ?1")
                .setParameter(1, Long.parseLong(id.substring(4)))
                .getSingleResult();
        return List.of((String) row[0], (String) row[1]);
    }

    /** The gitcrq command, in-process, against this service; the dev users' password is their name. */
    private static CliRunner.Result gitcrq(String... args) {
        String user = args[0].equals("--user") ? args[1] : "alice";
        return new CliRunner()
                .env("GITCRQ_PASSWORD", user)
                .property(Service.CRQ.systemProperty(), "http://localhost:" + RestAssured.port)
                .run(args);
    }
}
