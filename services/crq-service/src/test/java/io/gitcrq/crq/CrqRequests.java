package io.gitcrq.crq;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Requests to crq-service as its tests' dev users (password = name) make them. */
final class CrqRequests {

    private CrqRequests() {}

    /** A JSON request signed in as {@code user}. */
    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON);
    }

    /** Creates a CRQ of repository demo as {@code user}; its id. */
    static String createCrq(String user, String title) {
        return as(user).body("{\"title\":\"" + title + "\",\"description\":\"why\",\"repo\":\"demo\"}")
                .post("/crqs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
