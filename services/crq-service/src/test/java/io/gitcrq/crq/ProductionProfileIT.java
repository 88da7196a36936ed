package io.gitcrq.crq;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.kit.testing.TokenIssuerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** crq-service in the production profile: no development users, basic authentication refused, tokens accepted. */
@QuarkusTest
@TestProfile(ProductionProfileIT.Production.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "crq"))
@QuarkusTestResource(TokenIssuerTestResource.class)
class ProductionProfileIT {

    /** The profile a deployment runs in. */
    public static class Production implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        /** The exec grant key a deployment makes on first start, made here under target/, not the user's home. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gitcrq.exec.grant.signing-key-file", "target/test-exec-grant/prod/crq-service.key");
        }
    }

    @Test
    void basicAuthenticationIsRefusedEvenForTheDevelopmentUsers() {
        given().auth().preemptive().basic("alice", "alice").get("/crqs").then().statusCode(401);
        given().auth().preemptive().basic("admin", "admin").get("/crqs").then().statusCode(401);
    }

    @Test
    void aTokenGetsIn() {
        given().auth()
                .oauth2(TokenIssuerTestResource.token("carol", "requester"))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"In production\",\"description\":\"why\",\"repo\":\"demo\"}")
                .post("/crqs")
                .then()
                .statusCode(201)
                .body("requester", equalTo("carol"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
