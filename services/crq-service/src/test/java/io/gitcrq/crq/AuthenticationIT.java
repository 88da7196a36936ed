package io.gitcrq.crq;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.kit.testing.TokenIssuerTestResource;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens from an identity provider (a test issuer whose JWKS is served on 127.0.0.1), next to the basic
 * development users of the test profile: who gets in, who is refused, and with which status.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "crq"))
@QuarkusTestResource(TokenIssuerTestResource.class)
class AuthenticationIT {

    private static final String NEW_CRQ = "{\"title\":\"Token login\",\"description\":\"why\",\"repo\":\"demo\"}";

    @TestHTTPResource("/")
    URL root;

    private static RequestSpecification bearer(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void aValidTokenWithTheRoleGetsInAsTheUserItNames() {
        String carol = TokenIssuerTestResource.token("carol", "requester");
        String id = bearer(carol)
                .body(NEW_CRQ)
                .post("/crqs")
                .then()
                .statusCode(201)
                .body("requester", equalTo("carol"))
                .extract()
                .path("id");
        bearer(carol).post("/crqs/" + id + "/submit").then().statusCode(200).body("status", equalTo("SUBMITTED"));
        // An approval is for the branch's head: git-watcher announces the CRQ's branch first.
        String head = "c0ffee".repeat(6) + "c0ff";
        KafkaBrokerTestResource.probe(TopicAccess.GIT_WATCHER)
                .send(
                        Topics.GIT_EVENTS,
                        "demo",
                        EventCodec.toJson(EventCodec.envelope(
                                "gitcrq/git-watcher",
                                new BranchCreated("demo", "feature/" + id + "-token", head, List.of(id), true))));
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() ->
                        bearer(carol).get("/crqs/" + id).then().statusCode(200).body(containsString(head)));
        // The roles claim decides: an approver's token approves, and is recorded by its user name.
        bearer(TokenIssuerTestResource.token("victor", "approver"))
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("approver", equalTo("victor"));
    }

    @Test
    void aValidTokenWithoutTheRoleIsForbidden() {
        String carol = TokenIssuerTestResource.token("carol", "requester");
        String id = bearer(carol)
                .body(NEW_CRQ)
                .post("/crqs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        bearer(carol).post("/crqs/" + id + "/submit").then().statusCode(200);
        bearer(TokenIssuerTestResource.token("mallory", "requester"))
                .post("/crqs/" + id + "/approve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("roles"));
        bearer(TokenIssuerTestResource.token("nobody")).get("/crqs").then().statusCode(403);
        bearer(carol).get("/crqs/" + id).then().statusCode(200).body("status", equalTo("SUBMITTED"));
    }

    @Test
    void noCredentialsAreUnauthorizedOnEveryRouteButHealth() {
        // Every mechanism's challenge, and a problem body like every other error's.
        List<String> challenges = given().get("/crqs")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", containsString("needs valid credentials"))
                .extract()
                .headers()
                .getValues("WWW-Authenticate");
        assertThat(challenges).anySatisfy(c -> assertThat(c).isEqualToIgnoringCase("basic realm=\"gitcrq\""));
        assertThat(challenges).anySatisfy(c -> assertThat(c).startsWith("Bearer"));
        given().contentType(ContentType.JSON).body(NEW_CRQ).post("/crqs").then().statusCode(401);
        given().get("/commits/abc/crqs").then().statusCode(401);
        // Deny by default: a route nobody declared is no way in either.
        given().get("/no-such-route").then().statusCode(401).contentType("application/problem+json");
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aTokenFromAnUnknownIssuerIsUnauthorized() {
        given().auth()
                .oauth2(TokenIssuerTestResource.tokenFor("carol")
                        .roles("requester")
                        .issuer("https://elsewhere.example")
                        .sign())
                .get("/crqs")
                .then()
                .statusCode(401);
        // The right issuer's name, but signed by a key its JWKS does not have.
        given().auth()
                .oauth2(TokenIssuerTestResource.tokenFor("carol")
                        .roles("requester")
                        .signedByAStranger()
                        .sign())
                .get("/crqs")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.notNullValue())
                .body("status", org.hamcrest.Matchers.equalTo(401))
                .body("detail", org.hamcrest.Matchers.containsString("needs valid credentials"));
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        given().auth()
                .oauth2(TokenIssuerTestResource.tokenFor("carol")
                        .roles("requester")
                        .expiresAt(Instant.now().minusSeconds(600))
                        .sign())
                .get("/crqs")
                .then()
                .statusCode(401);
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthorized() {
        given().auth()
                .oauth2(TokenIssuerTestResource.tokenFor("carol")
                        .roles("requester")
                        .audience("another-app")
                        .sign())
                .get("/crqs")
                .then()
                .statusCode(401);
    }

    @Test
    void aTokenThatNamesNoUserIsUnauthorized() {
        given().auth()
                .oauth2(TokenIssuerTestResource.tokenFor("carol")
                        .roles("requester")
                        .userClaim(null)
                        .sign())
                .get("/crqs")
                .then()
                .statusCode(401);
        given().auth().oauth2("not-a-token").get("/crqs").then().statusCode(401);
    }

    @Test
    void theDevelopmentUsersStillLogInWithBasicInTheTestProfile() {
        given().auth().preemptive().basic("alice", "alice").get("/crqs").then().statusCode(200);
        given().auth().preemptive().basic("alice", "wrong").get("/crqs").then().statusCode(401);
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedWithAProblemBeforeItIsRead() throws Exception {
        String carol = TokenIssuerTestResource.token("carol", "requester");
        // Declares 20 MB (the limit is 10M) and sends none of it: the answer comes without reading the body.
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /crqs HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Bearer " + carol
                            + "\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response)
                    .startsWith("HTTP/1.1 413")
                    .contains("application/problem+json")
                    .contains("quarkus.http.limits.max-body-size");
        }
    }

    /** One HTTP/1.1 response: its head, and the body its Content-Length announces. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
