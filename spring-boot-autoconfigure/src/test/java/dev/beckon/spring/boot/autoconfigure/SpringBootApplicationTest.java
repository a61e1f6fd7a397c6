package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenProvider;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.spring.boot.ActivityHandler;
import dev.beckon.spring.boot.BroadcastFactory;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.store.ListQuery;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.FakeOpenIdServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole Boot application on the Boot line of the classpath (3.5 here, 4.0 in spring-boot4-tests):
 * Tomcat on a random loopback port, references in the real PostgreSQL on 127.0.0.1:5432 through the
 * application's own pool, inbound tokens signed by the testkit's {@link FakeOpenIdServer} (real
 * RS256), messages to the testkit's {@link FakeConnector} with a token from its token endpoint, a
 * notification scheduled in the JDBC delivery queue (same PostgreSQL) sent by the starter's worker.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = SpringBootApplicationTest.BotApplication.class)
class SpringBootApplicationTest {

  static final String APP_ID = "boot-test-app";
  static final String LINE = System.getProperty("beckon.test.bootLine", "3");
  static final String TABLE = "beckon_boot" + LINE + "_refs";
  static final String DELIVERIES = "beckon_boot" + LINE + "_deliveries";
  static final int MAX_BODY = 4096;
  static final String PG_URL =
      System.getProperty("beckon.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = System.getProperty("beckon.postgres.user", "postgres");

  static final FakeOpenIdServer IDP = FakeOpenIdServer.start();
  static final FakeConnector CONNECTOR = FakeConnector.start();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static {
    dropTable(); // each run starts from an empty table; initialize-schema creates it
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("beckon.app-id", () -> APP_ID);
    r.add("beckon.trusted-hosts", () -> "127.0.0.1");
    r.add("beckon.store.table", () -> TABLE);
    r.add("beckon.store.initialize-schema", () -> "true");
    r.add("beckon.delivery.enabled", () -> "true");
    r.add("beckon.delivery.table", () -> DELIVERIES);
    r.add("beckon.delivery.initialize-schema", () -> "true");
    r.add("beckon.delivery.poll-interval", () -> "50ms");
    r.add("beckon.endpoint.max-body-bytes", () -> String.valueOf(MAX_BODY));
    r.add("server.address", () -> "127.0.0.1");
  }

  @AfterAll
  static void stop() {
    IDP.close();
    CONNECTOR.close();
  }

  static void dropTable() {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + TABLE);
      st.execute("DROP TABLE IF EXISTS " + DELIVERIES);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL on " + PG_URL + " is needed", e);
    }
  }

  /** The application: its own pool, token provider, validation keys and bot. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BotApplication {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource() {
      HikariDataSource ds = new HikariDataSource();
      ds.setPoolName("boot-app-" + LINE);
      ds.setJdbcUrl(PG_URL);
      ds.setUsername(PG_USER);
      ds.setMaximumPoolSize(4);
      return ds;
    }

    @Bean
    TokenProvider tokenProvider() {
      return ClientCredentials.builder(APP_ID, "s3cr3t-value")
          .tokenEndpoint(CONNECTOR.tokenEndpoint())
          .build();
    }

    @Bean
    AuthenticationConfig authenticationConfig() {
      return IDP.config(APP_ID);
    }

    @Bean
    NotifyLaterBot bot(ObjectProvider<DeliveryQueue> deliveries) {
      return new NotifyLaterBot(deliveries);
    }
  }

  /**
   * Answers at once, and schedules a notification in the delivery queue with a delivery key: the
   * starter's delivery worker sends it, proactively, from the captured reference.
   */
  static final class NotifyLaterBot implements ActivityHandler {
    final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private final ObjectProvider<DeliveryQueue> deliveries;

    NotifyLaterBot(ObjectProvider<DeliveryQueue> deliveries) {
      this.deliveries = deliveries;
    }

    @Override
    public int handle(
        Activity activity,
        @Nullable ConversationReference reference,
        CaptureHandler.Outcome outcome) {
      String text = String.valueOf(activity.text());
      seen.add(text);
      if (text.equals("accept later")) {
        return 202;
      }
      if (text.equals("bad status")) {
        return 42;
      }
      if (text.equals("notify me") && reference != null) {
        deliveries
            .getObject()
            .schedule(
                reference.key(),
                Activity.message("done"),
                Instant.now().plusMillis(50),
                "notify-" + reference.key().conversationId());
      }
      return 200;
    }
  }

  @Autowired ApplicationContext context;
  @Autowired Environment environment;
  @Autowired ReferenceRepository repository;
  @Autowired NotifyLaterBot bot;
  @Autowired BroadcastFactory broadcasts;
  @Autowired DeliveryQueue deliveries;

  static String activity(String conversation, String text, String serviceUrl) {
    return """
        {"type":"message","id":"act-%s","channelId":"msteams","serviceUrl":"%s",
         "conversation":{"id":"%s","tenantId":"tenant-1","conversationType":"personal"},
         "from":{"id":"29:user","name":"User"},"recipient":{"id":"28:bot","name":"Bot"},
         "channelData":{"tenant":{"id":"tenant-1"}},"text":"%s"}"""
        .formatted(UUID.randomUUID(), serviceUrl, conversation, text);
  }

  URI endpoint() {
    return URI.create(
        "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/api/messages");
  }

  HttpResponse<String> post(@Nullable String authorization, HttpRequest.BodyPublisher body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint())
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(body);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(@Nullable String authorization, String json) throws Exception {
    return post(authorization, HttpRequest.BodyPublishers.ofString(json));
  }

  static String token(String serviceUrl) {
    return "Bearer " + IDP.channelToken(APP_ID, serviceUrl).sign();
  }

  static String conversation() {
    return "a:" + UUID.randomUUID();
  }

  @Test
  void aMessageWithARealTokenIsCapturedInPostgresqlAndItsScheduledDeliveryArrivesThroughTheWorker()
      throws Exception {
    // the bean is observed (Actuator's registries are here): the JDBC store is underneath
    assertThat(repository).isNotInstanceOf(JdbcReferenceRepository.class);
    ReferenceRepository store = context.getBean(DecoratingPostProcessor.class).original(repository);
    assertThat(store).isInstanceOf(JdbcReferenceRepository.class);
    assertThat(((JdbcReferenceRepository) store).dialect())
        .isEqualTo(JdbcReferenceRepository.Dialect.POSTGRESQL);
    String conversation = conversation();
    String url = CONNECTOR.serviceUrl();

    HttpResponse<String> r = post(token(url), activity(conversation, "notify me", url));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(repository.find(ReferenceKey.of("msteams", conversation))).isPresent();
    String key = "notify-" + conversation;
    assertThat(deliveries).isInstanceOf(JdbcDeliveryQueue.class); // in PostgreSQL, beside the refs
    assertThat(deliveries.status(key)).isPresent();
    Instant deadline = Instant.now().plusSeconds(20); // a bound on waiting, not an assertion
    while (!delivered(key) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    DeliveryStatus status = deliveries.status(key).orElseThrow();
    assertThat(status.state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status.attempts()).isEqualTo(1);
    List<Activity> arrived = CONNECTOR.activities(conversation);
    assertThat(arrived).extracting(Activity::text).containsExactly("done");
    assertThat(status.activityId()).isNotNull();
    assertThat(context.getBean(DeliveryWorkerLifecycle.class).isRunning()).isTrue();
    // Boot's own observation and metrics auto-configurations (Actuator on the classpath) gave the
    // registries; Beckon's observed the proactive send into them
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    assertThat(
            meters
                .find("beckon.send")
                .tag("beckon.operation", "send_activity")
                .tag("beckon.outcome", "DELIVERED")
                .tag("activity.channel_id", "msteams")
                .timers())
        .isNotEmpty();
    assertThat(
            meters
                .find("beckon.store")
                .tag("beckon.operation", "save")
                .tag("beckon.store", "jdbc")
                .timers())
        .isNotEmpty();
    // the worker's queue keeps the delivery meters
    assertThat(
            meters
                .get("beckon.delivery.attempts")
                .tags("beckon.queue", "deliveries", "beckon.outcome", "DELIVERED")
                .summary()
                .count())
        .isPositive();
    assertThat(meters.get("beckon.delivery.depth").tag("beckon.queue", "deliveries").gauge())
        .isNotNull();
  }

  boolean delivered(String key) {
    return deliveries.status(key).map(s -> s.state() == DeliveryState.DELIVERED).orElse(false);
  }

  @Test
  void aBroadcastReachesEveryCapturedConversation() throws Exception {
    String conversation = conversation();
    String url = CONNECTOR.serviceUrl();
    assertThat(post(token(url), activity(conversation, "hello", url)).statusCode()).isEqualTo(200);

    BroadcastReport report =
        broadcasts
            .builder()
            .query(ListQuery.channel("msteams"))
            .message(Activity.message("maintenance at noon"))
            .build()
            .start()
            .join();

    assertThat(report.listed()).isPositive();
    assertThat(report.delivered()).isEqualTo(report.listed());
    assertThat(CONNECTOR.activities(conversation))
        .extracting(Activity::text)
        .contains("maintenance at noon");
  }

  @Test
  void theHandlersStatusIsTheAnswerAndAnImpossibleOneIsA500() throws Exception {
    String url = CONNECTOR.serviceUrl();
    assertThat(post(token(url), activity(conversation(), "accept later", url)).statusCode())
        .isEqualTo(202);
    assertThat(post(token(url), activity(conversation(), "bad status", url)).statusCode())
        .isEqualTo(500);
  }

  @Test
  void refusedRequestsStoreNothingAndNeverReachTheBot() throws Exception {
    String url = CONNECTOR.serviceUrl();
    String none = conversation();
    String forged = conversation();
    String otherApp = conversation();
    String otherUrl = conversation();
    int before = bot.seen.size();

    assertThat(post(null, activity(none, "no token", url)).statusCode()).isEqualTo(401);
    assertThat(
            post(
                    "Bearer " + IDP.channelToken(APP_ID, url).forged().sign(),
                    activity(forged, "forged", url))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            post(
                    "Bearer " + IDP.channelToken("another-app", url).sign(),
                    activity(otherApp, "other app", url))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            post(
                    token("https://smba.trafficmanager.net/amer/"),
                    activity(otherUrl, "other serviceUrl", url))
                .statusCode())
        .isEqualTo(401);
    assertThat(post(token(url), "{not json").statusCode()).isEqualTo(400);

    assertThat(bot.seen.size()).isEqualTo(before);
    for (String c : List.of(none, forged, otherApp, otherUrl)) {
      assertThat(repository.find(ReferenceKey.of("msteams", c))).isEmpty();
    }
  }

  @Test
  void oversizedBodiesAre413WhetherDeclaredOrStreamed() throws Exception {
    String url = CONNECTOR.serviceUrl();
    String conversation = conversation();
    String padded = activity(conversation, "x".repeat(MAX_BODY), url); // valid JSON, over the limit
    byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);

    assertThat(post(token(url), padded).statusCode()).isEqualTo(413); // Content-Length
    HttpResponse<String> chunked =
        post(
            token(url),
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    assertThat(chunked.statusCode()).isEqualTo(413); // no Content-Length: counted while read
    assertThat(repository.find(ReferenceKey.of("msteams", conversation))).isEmpty();
  }

  @Test
  void otherMethodsAreNotTheEndpoint() throws Exception {
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isBetween(400, 499);
  }

  @Test
  void healthIsUpWithPostgresqlAndATokenFromTheTokenEndpoint() throws Exception {
    Health h = Health.of(context);
    assertThat(h.status()).isEqualTo("UP");
    assertThat(h.details())
        .containsEntry("store", "JdbcReferenceRepository")
        .containsEntry("token", "UP");
    assertThat(h.text()).doesNotContain("s3cr3t-value");
    assertThat(CONNECTOR.tokenRequests()).isPositive();
  }
}
