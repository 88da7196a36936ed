package io.gitcrq.gitwatcher;

import static io.gitcrq.gitwatcher.TestSupport.as;
import static io.gitcrq.gitwatcher.TestSupport.commitPushedCount;
import static io.gitcrq.gitwatcher.TestSupport.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.gitwatcher.service.WebhookSecrets;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push webhooks of GitHub, GitLab and Gitea against real repositories, the real broker and PostgreSQL: each
 * delivery is shaped like the host's documented push payload, built from a real push, and signed as the
 * host signs it. Same test resources as {@link GitWatcherIT}, so the application starts once for both.
 *
 * <p>A repository with a webhook secret is polled by the scheduler only every 5 minutes (the fallback), so
 * within a test only a webhook (or an explicit poll) can announce its pushes: "nothing was announced" is a
 * stable observation here.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "gitwatcher"))
@QuarkusTestResource(WatchedReposTestResource.class)
class WebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler LOG_CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @ConfigProperty(name = "gitcrq.git-watcher.mirror-dir")
    Path mirrorDir;

    @Inject
    DataSource dataSource;

    @Inject
    WebhookSecrets webhookSecrets;

    /** Reads Git events as crq-service, one of their readers (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);

    @BeforeAll
    static void captureLogs() {
        Logger.getLogger("").addHandler(LOG_CAPTURE);
    }

    /** No secret (registered or configured) ever reaches the log. */
    @AfterAll
    static void noSecretWasLogged() {
        Logger.getLogger("").removeHandler(LOG_CAPTURE);
        assertThat(LOGGED)
                .isNotEmpty()
                .noneMatch(line -> line != null
                        && (line.contains("gh-secret")
                                || line.contains("gl-token")
                                || line.contains("gt-secret")
                                || line.contains("configured-secret")));
    }

    @Test
    void gitHubPushesArePolledWhenSignedAndRefusedOtherwise() throws Exception {
        String secret = "gh-secret-0123456789";
        TestRepo repo = testRepo("wh-github");
        as("alice")
                .body(Map.of(
                        "name",
                        "wh-github",
                        "location",
                        repo.bare.toString(),
                        "webhookName",
                        "Acme/Shop-GH",
                        "webhookSecret",
                        secret))
                .post("/repos")
                .then()
                .statusCode(201)
                .body("webhookEnabled", equalTo(true))
                .body("webhookName", equalTo("Acme/Shop-GH"))
                .body(not(containsString(secret)));
        String before = repo.headInBare("main");
        String commit = repo.commit("CRQ-31: pushed to GitHub");
        repo.push("main");
        // Git hosts write the name in their own case; it matches regardless.
        byte[] push = json(gitHubPush(repo, "acme/shop-gh", "main", before, commit));

        // Refused without a poll: bad, missing or misplaced signatures, a body other than the one signed, an
        // unknown repository; the answers do not tell an unknown repository from a bad signature.
        github("push", "sha256=" + "ab".repeat(32), push)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Unauthorized"))
                .body("detail", containsString("does not match the webhook secret"));
        github("push", null, push)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("no X-Hub-Signature-256 header"));
        github("push", hex(hmac("wrong-secret", push)), push).then().statusCode(401);
        github("push", "sha1=" + hex(hmac(secret, push)), push).then().statusCode(401);
        github("push", gitHubSignature("another-secret", push), push).then().statusCode(401);
        byte[] reformatted = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(push));
        github("push", gitHubSignature(secret, push), reformatted).then().statusCode(401);
        byte[] unknown = json(gitHubPush(repo, "acme/unknown", "main", before, commit));
        String unknownDetail = github("push", gitHubSignature(secret, unknown), unknown)
                .then()
                .statusCode(401)
                .extract()
                .path("detail");
        assertThat(unknownDetail).contains("does not match the webhook secret");
        // A ping is verified and answered, and polls nothing.
        byte[] ping = json(gitHubPing("acme/shop-gh"));
        github("ping", gitHubSignature(secret, ping), ping)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PONG"))
                .body("polls", empty());
        // Verified, but not a push: nothing to do.
        github("issues", gitHubSignature(secret, ping), ping)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("IGNORED"));
        assertThat(commitPushedCount("wh-github", commit)).isZero();

        // Malformed and oversized bodies, a missing event header.
        byte[] malformed = "{\"repository\": {\"full_name\": ".getBytes(StandardCharsets.UTF_8);
        github("push", gitHubSignature(secret, malformed), malformed)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("malformed JSON"));
        byte[] nameless = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        github("push", gitHubSignature(secret, nameless), nameless)
                .then()
                .statusCode(400)
                .body("detail", containsString("repository.full_name"));
        byte[] huge = ("{\"padding\":\"" + "x".repeat(WatchedReposTestResource.MAX_WEBHOOK_BODY) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        github("push", gitHubSignature(secret, huge), huge)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("webhook-max-body-bytes"));
        // Also when streamed without a Content-Length: reading stops once the limit is passed.
        given().header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", gitHubSignature(secret, huge))
                .contentType("application/json")
                .body(new java.io.ByteArrayInputStream(huge))
                .post("/webhooks/github")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        given().header("X-Hub-Signature-256", gitHubSignature(secret, push))
                .contentType("application/json")
                .body(push)
                .post("/webhooks/github")
                .then()
                .statusCode(400)
                .body("detail", containsString("X-GitHub-Event"));
        assertThat(commitPushedCount("wh-github", commit)).isZero();

        // Signed with the secret: polled at once, the commit is announced, as a poll would.
        String delivery = UUID.randomUUID().toString();
        github("push", gitHubSignature(secret, push), push, delivery)
                .then()
                .statusCode(200)
                .body("provider", equalTo("github"))
                .body("event", equalTo("push"))
                .body("delivery", equalTo(delivery))
                .body("outcome", equalTo("POLLED"))
                .body("polls.repo", contains("wh-github"))
                .body("polls[0].newCommits", contains(commit));
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "wh-github",
                        d -> d.path("commitId").asText().equals(commit)
                                && d.path("crqIds").toString().equals("[\"CRQ-31\"]")
                                && d.path("branch").asText().equals("main")),
                WAIT);

        // The same push again by webhook (a redelivery) and by poll: nothing more is announced.
        github("push", gitHubSignature(secret, push), push)
                .then()
                .statusCode(200)
                .body("polls[0].newCommits", empty());
        as("alice").post("/repos/wh-github/poll").then().statusCode(200).body("newCommits", empty());
        assertThat(commitPushedCount("wh-github", commit)).isEqualTo(1);
        assertThat(topics.awaitAll(
                        Topics.GIT_EVENTS,
                        event(
                                EventType.COMMIT_PUSHED,
                                "wh-github",
                                d -> d.path("commitId").asText().equals(commit)),
                        1,
                        WAIT))
                .hasSize(1);

        // GitHub's other content type: the JSON is the form's payload field, the signature covers the form.
        String formCommit = repo.commit("CRQ-31: pushed as a form");
        repo.push("main");
        String form = "payload="
                + URLEncoder.encode(
                        new String(
                                json(gitHubPush(repo, "acme/shop-gh", "main", commit, formCommit)),
                                StandardCharsets.UTF_8),
                        StandardCharsets.UTF_8); // ASCII only
        given().header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", gitHubSignature(secret, form.getBytes(StandardCharsets.US_ASCII)))
                .contentType("application/x-www-form-urlencoded")
                .body(form)
                .post("/webhooks/github")
                .then()
                .statusCode(200)
                .body("polls[0].newCommits", contains(formCommit));

        // The database holds the secret sealed, never as given.
        assertThat(storedSecret("wh-github")).startsWith("aes256gcm:v1:").doesNotContain(secret);

        // Another user may not replace it: whoever sets the secret decides which deliveries are believed.
        as("dave")
                .body(Map.of(
                        "name", "wh-github", "location", repo.bare.toString(), "webhookSecret", "gh-secret-dave-1"))
                .post("/repos")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("only an admin or alice"));
        github("push", gitHubSignature("gh-secret-dave-1", push), push).then().statusCode(401);

        // Its owner (or an admin) registering again with a new secret replaces the old one.
        String newSecret = "gh-secret-rotated-456";
        as("alice")
                .body(Map.of("name", "wh-github", "location", repo.bare.toString(), "webhookSecret", newSecret))
                .post("/repos")
                .then()
                .statusCode(200)
                .body("webhookEnabled", equalTo(true))
                .body("webhookName", equalTo("Acme/Shop-GH"))
                .body(not(containsString(newSecret)));
        github("push", gitHubSignature(secret, push), push).then().statusCode(401);
        github("push", gitHubSignature(newSecret, push), push)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("POLLED"));
        // The change is announced for the audit trail (a governance record): who, and that the secret changed; never
        // the secret. dave's refused try announced nothing.
        List<String> changes = topics
                .awaitAll(
                        Topics.GIT_EVENTS,
                        v -> v.contains("io.gitcrq.WebhookSettingsChanged.v1") && v.contains("\"wh-github\""),
                        1,
                        WAIT)
                .stream()
                .map(r -> r.value())
                .toList();
        assertThat(changes)
                .singleElement()
                .satisfies(v -> assertThat(v)
                        .contains("\"changedBy\":\"alice\"", "\"secretReplaced\":true")
                        .doesNotContain(secret, newSecret, "gh-secret-dave-1"));
        // The secret is never shown.
        as("bob")
                .get("/repos")
                .then()
                .statusCode(200)
                .body(not(containsString(secret)))
                .body(not(containsString(newSecret)))
                .body(not(containsString("configured-secret")));
    }

    @Test
    void anAdminMayReplaceAnySecretAndSecretsStoredInPlainTextAreSealed() throws Exception {
        String secret = "gh-secret-plain-0123";
        TestRepo repo = testRepo("wh-plain");
        as("alice")
                .body(Map.of("name", "wh-plain", "location", repo.bare.toString(), "webhookName", "acme/plain"))
                .post("/repos")
                .then()
                .statusCode(201);
        // As an earlier version stored it.
        try (Connection c = dataSource.getConnection();
                PreparedStatement update =
                        c.prepareStatement("UPDATE watched_repo SET webhook_secret = ? WHERE name = 'wh-plain'")) {
            update.setString(1, secret);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        assertThat(webhookSecrets.sealPlainText()).isEqualTo(1);
        assertThat(storedSecret("wh-plain")).startsWith("aes256gcm:v1:").doesNotContain(secret);
        String before = repo.headInBare("main");
        String commit = repo.commit("CRQ-36: after sealing");
        repo.push("main");
        byte[] push = json(gitHubPush(repo, "acme/plain", "main", before, commit));
        github("push", gitHubSignature(secret, push), push).then().statusCode(200);

        String adminSecret = "gh-secret-by-admin-1";
        as("admin")
                .body(Map.of("name", "wh-plain", "location", repo.bare.toString(), "webhookSecret", adminSecret))
                .post("/repos")
                .then()
                .statusCode(200);
        github("push", gitHubSignature(secret, push), push).then().statusCode(401);
        github("push", gitHubSignature(adminSecret, push), push).then().statusCode(200);
    }

    private String storedSecret(String repo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query =
                        c.prepareStatement("SELECT webhook_secret FROM watched_repo WHERE name = ?")) {
            query.setString(1, repo);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("a row for " + repo).isTrue();
                return row.getString(1);
            }
        }
    }

    @Test
    void gitLabPushesAreVerifiedByTheirSecretToken() {
        String token = "gl-token-0123456789";
        TestRepo repo = testRepo("wh-gitlab");
        as("alice")
                .body(Map.of(
                        "name",
                        "wh-gitlab",
                        "location",
                        repo.bare.toString(),
                        "webhookName",
                        "acme/platform/shop-gl",
                        "webhookSecret",
                        token))
                .post("/repos")
                .then()
                .statusCode(201);
        repo.git("checkout", "-b", "feature/CRQ-32-gitlab");
        String commit = repo.commit("names no CRQ; its branch does");
        repo.push("feature/CRQ-32-gitlab");
        byte[] push = json(gitLabPush(
                repo,
                "acme/platform/shop-gl",
                "feature/CRQ-32-gitlab",
                "0000000000000000000000000000000000000000",
                commit));

        gitlab("Push Hook", token + "x", push)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("X-Gitlab-Token does not match"));
        gitlab("Push Hook", token.substring(1), push).then().statusCode(401);
        gitlab("Push Hook", null, push)
                .then()
                .statusCode(401)
                .body("detail", containsString("no X-Gitlab-Token header"));
        // An HMAC is not what GitLab sends: the token itself is.
        gitlab("Push Hook", hex(hmac(token, push)), push).then().statusCode(401);
        assertThat(commitPushedCount("wh-gitlab", commit)).isZero();
        assertThat(TestSupport.count(
                        "SELECT count(*) FROM outbox_event WHERE message_key = 'wh-gitlab' AND payload LIKE ?1",
                        "%feature/CRQ-32-gitlab%"))
                .isZero();

        gitlab("Push Hook", token, push)
                .then()
                .statusCode(200)
                .body("provider", equalTo("gitlab"))
                .body("outcome", equalTo("POLLED"))
                .body("polls[0].repo", equalTo("wh-gitlab"))
                .body("polls[0].newBranches", contains("feature/CRQ-32-gitlab"))
                .body("polls[0].newCommits", contains(commit));
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.BRANCH_CREATED,
                        "wh-gitlab",
                        d -> d.path("branch").asText().equals("feature/CRQ-32-gitlab")),
                WAIT);
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "wh-gitlab",
                        d -> d.path("commitId").asText().equals(commit)
                                && d.path("crqIds").toString().equals("[\"CRQ-32\"]")),
                WAIT);
        gitlab("Tag Push Hook", token, push).then().statusCode(200).body("outcome", equalTo("IGNORED"));

        as("alice")
                .post("/repos/wh-gitlab/poll")
                .then()
                .statusCode(200)
                .body("newCommits", empty())
                .body("newBranches", empty());
        assertThat(commitPushedCount("wh-gitlab", commit)).isEqualTo(1);
    }

    @Test
    void giteaPushesAreVerifiedByTheirUnprefixedSignatureAndAnnouncedOnceWhicheverWayTheyAreFound() {
        String secret = "gt-secret-0123456789";
        TestRepo repo = testRepo("wh-gitea");
        as("alice")
                .body(Map.of(
                        "name",
                        "wh-gitea",
                        "location",
                        repo.bare.toString(),
                        "webhookName",
                        "acme/shop-gt",
                        "webhookSecret",
                        secret))
                .post("/repos")
                .then()
                .statusCode(201);
        String before = repo.headInBare("main");
        String commit = repo.commit("CRQ-33: pushed to Gitea");
        repo.push("main");
        byte[] push = json(giteaPush(repo, "acme/shop-gt", "main", before, commit));

        // GitHub's prefixed form is not Gitea's.
        gitea("push", "sha256=" + hex(hmac(secret, push)), push).then().statusCode(401);
        gitea("push", hex(hmac("gt-wrong", push)), push).then().statusCode(401);
        gitea("push", null, push).then().statusCode(401).body("detail", containsString("X-Gitea-Signature"));
        assertThat(commitPushedCount("wh-gitea", commit)).isZero();

        gitea("push", hex(hmac(secret, push)).toUpperCase(Locale.ROOT), push)
                .then()
                .statusCode(200)
                .body("provider", equalTo("gitea"))
                .body("outcome", equalTo("POLLED"))
                .body("polls[0].newCommits", contains(commit));
        topics.await(
                Topics.GIT_EVENTS,
                event(
                        EventType.COMMIT_PUSHED,
                        "wh-gitea",
                        d -> d.path("commitId").asText().equals(commit)
                                && d.path("crqIds").toString().equals("[\"CRQ-33\"]")),
                WAIT);

        // The other order: polled first, then the webhook arrives. Still one CommitPushed.
        String second = repo.commit("tidy up after the Gitea push");
        repo.push("main");
        as("alice").post("/repos/wh-gitea/poll").then().statusCode(200).body("newCommits", contains(second));
        byte[] late = json(giteaPush(repo, "acme/shop-gt", "main", commit, second));
        gitea("push", hex(hmac(secret, late)), late).then().statusCode(200).body("polls[0].newCommits", empty());
        assertThat(commitPushedCount("wh-gitea", commit)).isEqualTo(1);
        assertThat(commitPushedCount("wh-gitea", second)).isEqualTo(1);
        assertThat(topics.awaitAll(
                        Topics.GIT_EVENTS,
                        event(
                                EventType.COMMIT_PUSHED,
                                "wh-gitea",
                                d -> d.path("commitId").asText().equals(second)),
                        1,
                        WAIT))
                .hasSize(1);
        // A commit naming no CRQ on a branch naming none is in the unlinked report, whoever found it.
        as("alice")
                .get("/repos/wh-gitea/unlinked-commits")
                .then()
                .statusCode(200)
                .body("commits.commitId", contains(second))
                .body("commits[0].subject", equalTo("tidy up after the Gitea push"));
    }

    @Test
    void secretsComeFromConfigurationTooAndARepositoryWithoutOneTakesNoWebhooks() {
        as("bob")
                .get("/repos/configured")
                .then()
                .statusCode(200)
                .body("webhookEnabled", equalTo(true))
                .body("webhookName", equalTo(WatchedReposTestResource.CONFIGURED_WEBHOOK_NAME))
                .body(not(containsString(WatchedReposTestResource.CONFIGURED_WEBHOOK_SECRET)));
        byte[] ping = json(gitHubPing(WatchedReposTestResource.CONFIGURED_WEBHOOK_NAME));
        github("ping", gitHubSignature(WatchedReposTestResource.CONFIGURED_WEBHOOK_SECRET, ping), ping)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PONG"))
                .body("detail", containsString("configured"));
        github("push", gitHubSignature(WatchedReposTestResource.CONFIGURED_WEBHOOK_SECRET, ping), ping)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("POLLED"))
                .body("polls.repo", contains("configured"));

        // Without a secret, a repository is matched by its gitcrq name and still refuses every delivery.
        TestRepo repo = testRepo("wh-none");
        TestSupport.register("wh-none", repo.bare.toString())
                .then()
                .statusCode(201)
                .body("webhookEnabled", equalTo(false));
        byte[] named = json(gitHubPing("wh-none"));
        github("ping", gitHubSignature("anything-at-all", named), named).then().statusCode(401);
        github("ping", gitHubSignature("", named), named).then().statusCode(401);
        as("alice")
                .body(Map.of("name", "wh-short", "location", repo.bare.toString(), "webhookSecret", "short"))
                .post("/repos")
                .then()
                .statusCode(400)
                .body("detail", containsString("webhookSecret"))
                .body(not(containsString("short\"")));
        as("alice")
                .body(Map.of("name", "wh-badname", "location", repo.bare.toString(), "webhookName", "acme demo"))
                .post("/repos")
                .then()
                .statusCode(400)
                .body("detail", containsString("webhookName"));
        as("bob")
                .get("/repos")
                .then()
                .body("name", hasItem("wh-none"))
                .body("find { it.name == 'wh-none' }.webhookName", nullValue());
    }

    // --- deliveries -------------------------------------------------------------------------------------------

    private static Response github(String event, String signature, byte[] body) {
        return github(event, signature, body, UUID.randomUUID().toString());
    }

    private static Response github(String event, String signature, byte[] body, String delivery) {
        RequestSpecification request = given().header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("User-Agent", "GitHub-Hookshot/abc1234")
                .contentType("application/json")
                .body(body);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post("/webhooks/github");
    }

    private static Response gitlab(String event, String token, byte[] body) {
        RequestSpecification request = given().header("X-Gitlab-Event", event)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString())
                .header("User-Agent", "GitLab/17.0.0")
                .contentType("application/json")
                .body(body);
        if (token != null) {
            request.header("X-Gitlab-Token", token);
        }
        return request.post("/webhooks/gitlab");
    }

    private static Response gitea(String event, String signature, byte[] body) {
        RequestSpecification request = given().header("X-Gitea-Event", event)
                .header("X-Gitea-Delivery", UUID.randomUUID().toString())
                .contentType("application/json")
                .body(body);
        if (signature != null) {
            request.header("X-Gitea-Signature", signature);
        }
        return request.post("/webhooks/gitea");
    }

    private static String gitHubSignature(String secret, byte[] body) {
        return "sha256=" + hex(hmac(secret, body));
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    secret.isEmpty() ? new byte[1] : secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // --- payloads, shaped like each host's documented sample push payload ---------------------------------------

    /** What the payloads say about a commit, read from the repository. */
    private record CommitInfo(String id, String tree, String message, String timestamp, String name, String email) {
        static CommitInfo of(TestRepo repo, String id) {
            String[] f = repo.git("log", "-1", "--format=%H%n%T%n%cI%n%an%n%ae%n%B", id)
                    .split("\n", 6);
            return new CommitInfo(f[0], f[1], f.length > 5 ? f[5] : "", f[2], f[3], f[4]);
        }
    }

    /** GitHub's push event (docs.github.com, "Webhook events and payloads", push). */
    private ObjectNode gitHubPush(TestRepo repo, String fullName, String branch, String before, String after) {
        ObjectNode p = JSON.createObjectNode();
        p.put("ref", "refs/heads/" + branch).put("before", before).put("after", after);
        ObjectNode repository = gitHubRepository(fullName);
        p.set("repository", repository);
        p.putObject("pusher").put("name", "dev-eloper").put("email", "dev@example.test");
        p.putObject("sender").put("login", "dev-eloper").put("id", 4711).put("type", "User");
        p.put("created", false).put("deleted", false).put("forced", false).putNull("base_ref");
        p.put(
                "compare",
                "https://github.com/" + fullName + "/compare/" + before.substring(0, 12) + "..."
                        + after.substring(0, 12));
        ArrayNode commits = p.putArray("commits");
        CommitInfo head = CommitInfo.of(repo, after);
        commits.add(gitHubCommit(head, fullName));
        p.set("head_commit", gitHubCommit(head, fullName));
        return p;
    }

    private ObjectNode gitHubPing(String fullName) {
        ObjectNode p = JSON.createObjectNode();
        p.put("zen", "Keep it logically awesome.").put("hook_id", 123456789);
        ObjectNode hook = p.putObject("hook");
        hook.put("type", "Repository").put("id", 123456789).put("active", true);
        hook.putArray("events").add("push");
        hook.putObject("config")
                .put("content_type", "json")
                .put("insecure_ssl", "0")
                .put("url", "https://gitcrq.example.test/webhooks/github");
        p.set("repository", gitHubRepository(fullName));
        p.putObject("sender").put("login", "dev-eloper").put("id", 4711);
        return p;
    }

    private ObjectNode gitHubRepository(String fullName) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", 35129377)
                .put("node_id", "MDEwOlJlcG9zaXRvcnkzNTEyOTM3Nw==")
                .put("name", fullName.substring(fullName.lastIndexOf('/') + 1))
                .put("full_name", fullName)
                .put("private", true)
                .put("html_url", "https://github.com/" + fullName)
                .put("clone_url", "https://github.com/" + fullName + ".git")
                .put("default_branch", "main")
                .put("master_branch", "main");
        String owner = fullName.contains("/") ? fullName.substring(0, fullName.indexOf('/')) : "acme";
        r.putObject("owner").put("name", owner).put("login", owner);
        return r;
    }

    private ObjectNode gitHubCommit(CommitInfo c, String fullName) {
        ObjectNode commit = JSON.createObjectNode();
        commit.put("id", c.id())
                .put("tree_id", c.tree())
                .put("distinct", true)
                .put("message", c.message())
                .put("timestamp", c.timestamp())
                .put("url", "https://github.com/" + fullName + "/commit/" + c.id());
        commit.putObject("author").put("name", c.name()).put("email", c.email()).put("username", "dev-eloper");
        commit.putObject("committer")
                .put("name", c.name())
                .put("email", c.email())
                .put("username", "dev-eloper");
        commit.putArray("added");
        commit.putArray("removed");
        commit.putArray("modified");
        return commit;
    }

    /** GitLab's push event (docs.gitlab.com, "Webhook events", push events). */
    private ObjectNode gitLabPush(TestRepo repo, String path, String branch, String before, String after) {
        ObjectNode p = JSON.createObjectNode();
        CommitInfo c = CommitInfo.of(repo, after);
        p.put("object_kind", "push")
                .put("event_name", "push")
                .put("before", before)
                .put("after", after)
                .put("ref", "refs/heads/" + branch)
                .put("ref_protected", false)
                .put("checkout_sha", after)
                .put("user_id", 4)
                .put("user_name", c.name())
                .put("user_username", "dev-eloper")
                .put("user_email", c.email())
                .put("project_id", 15);
        String url = "https://gitlab.example.test/" + path;
        p.putObject("project")
                .put("id", 15)
                .put("name", path.substring(path.lastIndexOf('/') + 1))
                .put("web_url", url)
                .put("git_ssh_url", "git@gitlab.example.test:" + path + ".git")
                .put("git_http_url", url + ".git")
                .put("namespace", path.substring(0, path.lastIndexOf('/')))
                .put("visibility_level", 0)
                .put("path_with_namespace", path)
                .put("default_branch", "main");
        ObjectNode commit = p.putArray("commits").addObject();
        commit.put("id", c.id())
                .put("message", c.message())
                .put("title", c.message().lines().findFirst().orElse(""))
                .put("timestamp", c.timestamp())
                .put("url", url + "/-/commit/" + c.id());
        commit.putObject("author").put("name", c.name()).put("email", c.email());
        commit.putArray("added");
        commit.putArray("modified");
        commit.putArray("removed");
        p.put("total_commits_count", 1);
        p.putObject("repository")
                .put("name", path.substring(path.lastIndexOf('/') + 1))
                .put("url", url + ".git")
                .put("homepage", url)
                .put("git_http_url", url + ".git")
                .put("visibility_level", 0);
        return p;
    }

    /** Gitea's push event (docs.gitea.com, "Webhooks", example payload). */
    private ObjectNode giteaPush(TestRepo repo, String fullName, String branch, String before, String after) {
        ObjectNode p = JSON.createObjectNode();
        CommitInfo c = CommitInfo.of(repo, after);
        String url = "https://gitea.example.test/" + fullName;
        p.put("ref", "refs/heads/" + branch)
                .put("before", before)
                .put("after", after)
                .put("compare_url", url + "/compare/" + before + "..." + after);
        ObjectNode commit = JSON.createObjectNode();
        commit.put("id", c.id())
                .put("message", c.message())
                .put("url", url + "/commit/" + c.id())
                .putNull("verification")
                .put("timestamp", c.timestamp());
        commit.putObject("author").put("name", c.name()).put("email", c.email()).put("username", "dev-eloper");
        commit.putObject("committer")
                .put("name", c.name())
                .put("email", c.email())
                .put("username", "dev-eloper");
        commit.putArray("added");
        commit.putArray("removed");
        commit.putArray("modified");
        p.putArray("commits").add(commit);
        p.put("total_commits", 1);
        p.set("head_commit", commit.deepCopy());
        ObjectNode repository = p.putObject("repository");
        repository
                .put("id", 1)
                .put("name", fullName.substring(fullName.lastIndexOf('/') + 1))
                .put("full_name", fullName)
                .put("private", false)
                .put("fork", false)
                .put("html_url", url)
                .put("clone_url", url + ".git")
                .put("default_branch", "main");
        repository
                .putObject("owner")
                .put("id", 1)
                .put("login", fullName.substring(0, fullName.indexOf('/')))
                .put("username", fullName.substring(0, fullName.indexOf('/')));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", 1);
        user.put("login", "dev-eloper");
        user.put("email", c.email());
        p.set("pusher", JSON.valueToTree(user));
        p.set("sender", JSON.valueToTree(user));
        return p;
    }

    private static byte[] json(ObjectNode payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TestRepo testRepo(String name) {
        return TestRepo.create(mirrorDir.getParent(), name);
    }
}
