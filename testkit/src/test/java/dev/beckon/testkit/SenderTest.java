package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.Beckon;
import dev.beckon.activity.Activity;
import dev.beckon.auth.AccessToken;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenException;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.SendOutcome.Kind;
import dev.beckon.send.Timeouts;
import dev.beckon.send.transport.HttpTransport;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Bot Connector sender against the FakeConnector over real HTTP on loopback. */
class SenderTest {

  private final FakeConnector connector = FakeConnector.start();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    connector.close();
  }

  /** Transient failures and throttles back off alike, from {@code base} doubling to {@code max}. */
  static RetryStrategy policy(int attempts, Duration base, Duration max, Duration maxRetryAfter) {
    return RetryStrategy.builder()
        .maxAttempts(attempts)
        .backoff(Backoff.exponential(base, max))
        .throttlingBackoff(Backoff.exponential(base, max))
        .maxRetryAfter(maxRetryAfter)
        .build();
  }

  private BotConnectorSender anonymous(RetryStrategy retry) {
    return anonymous(retry, false);
  }

  private BotConnectorSender anonymous(RetryStrategy retry, boolean retryUnsafePosts) {
    BotConnectorSender s =
        BotConnectorSender.builder()
            .anonymous()
            .retry(retry)
            .retryUnsafePosts(retryUnsafePosts)
            .timeouts(
                new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20)))
            .build();
    closeables.add(s);
    return s;
  }

  private BotConnectorSender anonymous() {
    return anonymous(
        policy(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5)));
  }

  private ConversationReference ref(String conversationId) {
    return SampleReferences.reference("msteams", conversationId, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  @Test
  void sendsANewMessageIntoTheConversation() {
    SendOutcome o = anonymous().send(ref("a:1xyz"), Activity.message("Your report is ready"));
    assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(o.id()).startsWith("activity-");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.correlationId()).startsWith("fake-cv-");
    FakeConnector.Request r = connector.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.rawPath()).isEqualTo("/amer/v3/conversations/a%3A1xyz/activities");
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(r.header("Authorization")).isNull();
    assertThat(r.header("User-Agent"))
        .as("the default User-Agent carries the build's version")
        .isEqualTo("Beckon/" + Beckon.version() + " (Java " + Runtime.version().feature() + ")")
        .matches("Beckon/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java \\d+\\)");
    Activity a = r.activity();
    assertThat(a.type()).isEqualTo("message");
    assertThat(a.text()).isEqualTo("Your report is ready");
    assertThat(a.from().id()).isEqualTo("28:bot");
    assertThat(a.recipient().id()).startsWith("29:user-");
    assertThat(a.conversation().id()).isEqualTo("a:1xyz");
    assertThat(a.channelId()).isEqualTo("msteams");
    assertThat(a.serviceUrl()).isEqualTo(connector.serviceUrl());
    assertThat(a.locale()).isEqualTo("en-US");
    assertThat(a.replyToId()).isNull();
  }

  @Test
  void aStoredActivityIdNeverTurnsASendIntoAReply() {
    ConversationReference withActivity =
        ConversationReference.builder()
            .activityId("1718116267123")
            .conversationId("a:conv")
            .channelId("msteams")
            .serviceUrl(connector.serviceUrl())
            .build();
    anonymous().send(withActivity, Activity.message("hi"));
    assertThat(connector.requests().get(0).rawPath()).endsWith("/activities");
    assertThat(connector.requests().get(0).activity().replyToId()).isNull();
  }

  @Test
  void idsAreFullyPercentEncodedAndServiceUrlSlashesNormalised() {
    ConversationReference r =
        ref("19:abc@thread.tacv2;messageid=1712").withServiceUrl(connector.serviceUrl() + "//");
    anonymous().reply(r, "1712", Activity.message("thread reply"));
    FakeConnector.Request req = connector.requests().get(0);
    assertThat(req.rawPath())
        .isEqualTo(
            "/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1712/activities/1712");
    assertThat(req.conversationId()).isEqualTo("19:abc@thread.tacv2;messageid=1712");
    assertThat(req.activity().replyToId()).isEqualTo("1712");
    assertThat(req.header("x-ms-conversation-id")).isEqualTo("19:abc@thread.tacv2;messageid=1712");
    anonymous().send(ref("with/slash?and#hash%é|pipe"), Activity.message("x"));
    assertThat(connector.requests().get(1).rawPath())
        .isEqualTo("/amer/v3/conversations/with%2Fslash%3Fand%23hash%25%C3%A9%7Cpipe/activities");
  }

  @Test
  void updateAndDelete() {
    BotConnectorSender s = anonymous();
    SendOutcome u = s.update(ref("c"), "act-9", Activity.message("edited"));
    SendOutcome d = s.delete(ref("c"), "act-9");
    assertThat(u.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(u.id()).isEqualTo("act-9");
    assertThat(d.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(connector.requests())
        .extracting(FakeConnector.Request::method)
        .containsExactly("PUT", "DELETE");
    assertThat(connector.requests().get(0).activity().id()).isEqualTo("act-9");
    assertThat(connector.requests().get(1).rawPath()).endsWith("/activities/act-9");
  }

  @Test
  void createsATeamsOneOnOneAndAChannelThread() {
    BotConnectorSender s = anonymous();
    ConversationReference team = ref("19:team@thread.tacv2");
    SendOutcome one =
        s.createConversation(
            team, ConversationParameters.oneOnOne(ChannelAccount.of("29:member", "M"), "tenant-1"));
    assertThat(one.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(one.conversation()).isNotNull();
    assertThat(one.conversation().conversation().id())
        .isEqualTo(one.id())
        .startsWith("new-conversation-");
    assertThat(one.conversation().user().id()).isEqualTo("29:member");
    assertThat(one.conversation().conversation().tenantId()).isEqualTo("tenant-1");
    String body = connector.requests().get(0).body();
    assertThat(connector.requests().get(0).rawPath()).isEqualTo("/amer/v3/conversations");
    assertThat(body)
        .contains("\"isGroup\":false")
        .contains("\"bot\":{\"id\":\"28:bot\"")
        .contains("\"members\":[{\"id\":\"29:member\"")
        .contains("\"tenantId\":\"tenant-1\"")
        .contains("\"channelData\":{\"tenant\":{\"id\":\"tenant-1\"}}");
    // and the new conversation can be sent to at once
    assertThat(s.send(one.conversation(), Activity.message("hello 1:1")).delivered()).isTrue();

    SendOutcome thread =
        s.createConversation(
            team,
            ConversationParameters.channelThread(
                "19:channel@thread.tacv2", Activity.message("Build 1234 failed"), "tenant-1"));
    assertThat(thread.delivered()).isTrue();
    assertThat(connector.requests().get(2).body())
        .contains("\"isGroup\":true")
        .contains("\"channel\":{\"id\":\"19:channel@thread.tacv2\"}")
        .contains("\"activity\":{\"type\":\"message\"")
        .contains("Build 1234 failed");
  }

  @Test
  void throttlingHonoursRetryAfterThenDelivers() {
    connector.failNext("c", FakeConnector.Fault.throttled(Duration.ofSeconds(1)));
    long start = System.nanoTime();
    SendOutcome o = anonymous().send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(o.attempts()).isEqualTo(2);
    List<FakeConnector.Request> rs = connector.requests();
    assertThat(rs.get(1).receivedNanos() - rs.get(0).receivedNanos())
        .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void withoutRetriesAThrottleIsReportedWithItsRetryAfter() {
    connector.failNext("c", FakeConnector.Fault.throttled(Duration.ofSeconds(7)));
    SendOutcome o = anonymous(RetryStrategy.none()).send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.retryable()).isTrue();
  }

  @Test
  void aRetryAfterBeyondTheCapEndsAsThrottled() {
    connector.failNext("c", FakeConnector.Fault.throttled(Duration.ofSeconds(60)));
    SendOutcome o = anonymous().send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(o.attempts()).isEqualTo(1);
  }

  @Test
  void transientErrorsAreRetriedAndServerErrorsAreNot() {
    connector.failNext(
        "t",
        FakeConnector.Fault.error(503, "ServiceUnavailable"),
        FakeConnector.Fault.error(502, "BadGateway"),
        FakeConnector.Fault.error(412, "PreconditionFailed"));
    SendOutcome ok = anonymous().send(ref("t"), Activity.message("x"));
    assertThat(ok.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(ok.attempts()).isEqualTo(4);
    connector.failNext("s", FakeConnector.Fault.error(500, "ServiceError"));
    SendOutcome failed = anonymous().send(ref("s"), Activity.message("x"));
    assertThat(failed.kind()).isEqualTo(Kind.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.errorCode()).isEqualTo("ServiceError");
    connector.failNext(
        "u",
        FakeConnector.Fault.error(503, "A"),
        FakeConnector.Fault.error(503, "B"),
        FakeConnector.Fault.error(503, "C"),
        FakeConnector.Fault.error(503, "D"));
    SendOutcome exhausted = anonymous().send(ref("u"), Activity.message("x"));
    assertThat(exhausted.kind()).isEqualTo(Kind.FAILED);
    assertThat(exhausted.attempts()).isEqualTo(4);
  }

  @Test
  void everyErrorGetsItsTypedOutcomeInBothBodyShapes() {
    BotConnectorSender s = anonymous();
    Map<FakeConnector.Fault, Kind> cases = new java.util.LinkedHashMap<>();
    cases.put(FakeConnector.Fault.error(403, "ConversationBlockedByUser"), Kind.CONVERSATION_GONE);
    cases.put(
        FakeConnector.Fault.teamsError(403, "ConversationBlockedByUser"), Kind.CONVERSATION_GONE);
    cases.put(FakeConnector.Fault.error(403, "BotNotInConversationRoster"), Kind.CONVERSATION_GONE);
    cases.put(FakeConnector.Fault.teamsError(403, "MessageWritesBlocked"), Kind.CONVERSATION_GONE);
    cases.put(FakeConnector.Fault.error(403, "BotDisabledByAdmin"), Kind.FORBIDDEN);
    cases.put(FakeConnector.Fault.teamsError(403, "NotEnoughPermissions"), Kind.FORBIDDEN);
    cases.put(FakeConnector.Fault.error(404, "ConversationNotFound"), Kind.CONVERSATION_GONE);
    cases.put(
        FakeConnector.Fault.error(404, "ActivityNotFoundInConversation"), Kind.CONVERSATION_GONE);
    cases.put(FakeConnector.Fault.error(401, "BotNotRegistered"), Kind.UNAUTHORIZED);
    cases.put(FakeConnector.Fault.error(400, "BadArgument"), Kind.REJECTED);
    cases.put(FakeConnector.Fault.error(413, "MessageSizeTooBig"), Kind.REJECTED);
    cases.put(FakeConnector.Fault.error(403, "InvalidBotApiHost"), Kind.REJECTED);
    int i = 0;
    for (Map.Entry<FakeConnector.Fault, Kind> c : cases.entrySet()) {
      String conv = "e" + i++;
      connector.failNext(conv, c.getKey());
      SendOutcome o = s.send(ref(conv), Activity.message("x"));
      assertThat(o.kind()).as(c.getKey().body()).isEqualTo(c.getValue());
      assertThat(o.retryable()).isFalse();
      assertThat(o.correlationId()).isNotNull();
    }
    connector.failNext("gcc", FakeConnector.Fault.error(403, "InvalidBotApiHost"));
    assertThat(s.send(ref("gcc"), Activity.message("x")).message()).contains("GCC serviceUrl");
    connector.failNext("code", FakeConnector.Fault.teamsError(403, "ConversationBlockedByUser"));
    assertThat(s.send(ref("code"), Activity.message("x")).errorCode())
        .isEqualTo("ConversationBlockedByUser");
  }

  @Test
  void aPostThatMayHaveBeenDeliveredIsNotRetried() {
    connector.failNext("slow", FakeConnector.Fault.delay(Duration.ofSeconds(3)));
    SendOutcome o = anonymous().send(ref("slow"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.message()).contains("may have been delivered");
    connector.failNext("drop", FakeConnector.Fault.drop());
    SendOutcome dropped = anonymous().send(ref("drop"), Activity.message("x"));
    assertThat(dropped.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(connector.requests().stream().filter(r -> "drop".equals(r.conversationId())).count())
        .isEqualTo(1);
  }

  @Test
  void unsafeRetriesCanBeOptedInto() {
    connector.failNext("slow", FakeConnector.Fault.delay(Duration.ofSeconds(3)));
    SendOutcome o =
        anonymous(
                policy(3, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(5)),
                true)
            .send(ref("slow"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(o.attempts()).isEqualTo(2);
  }

  @Test
  void connectFailuresAreRetriedThenFail() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ConversationReference nowhere = ref("c").withServiceUrl("http://127.0.0.1:" + port + "/amer/");
    SendOutcome o = anonymous().send(nowhere, Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.FAILED);
    assertThat(o.attempts()).isEqualTo(4);
    assertThat(o.errorCode()).isEqualTo("ConnectFailed");
  }

  @Test
  void untrustedHostsAreRefusedBeforeAnyConnection() {
    ClientCredentials creds =
        ClientCredentials.builder("app", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    BotConnectorSender withToken = BotConnectorSender.builder().credentials(creds).build();
    closeables.add(withToken);
    SendOutcome loopback = withToken.send(ref("c"), Activity.message("x"));
    assertThat(loopback.kind()).isEqualTo(Kind.REJECTED);
    assertThat(loopback.errorCode()).isEqualTo("UntrustedServiceUrl");
    assertThat(loopback.message()).contains("127.0.0.1").contains("withTrustedHost");
    SendOutcome evil =
        withToken.send(
            ref("c").withServiceUrl("https://evil.example.com/amer/"), Activity.message("x"));
    assertThat(evil.kind()).isEqualTo(Kind.REJECTED);
    assertThat(evil.message())
        .contains("evil.example.com")
        .contains("withTrustedHost(\"evil.example.com\")");
    SendOutcome again =
        withToken.send(
            ref("c").withServiceUrl("https://evil.example.com/amer/"), Activity.message("x"));
    assertThat(again.kind())
        .as("the decision is cached per URL, refusals included")
        .isEqualTo(Kind.REJECTED);
    assertThat(again.message()).isEqualTo(evil.message());
    assertThatThrownBy(() -> ref("c").withServiceUrl("http://smba.trafficmanager.net/amer/"))
        .as("plain http to a DNS host cannot even become a reference")
        .hasMessageContaining("https");
    assertThat(connector.requests()).isEmpty();
    assertThat(connector.tokenRequests()).isZero();
  }

  @Test
  void trustPolicyPresets() {
    TrustPolicy pub = TrustPolicy.publicCloud();
    assertThat(pub.refusal("https://smba.trafficmanager.net/amer/", false)).isNull();
    assertThat(pub.refusal("https://europe.webchat.botframework.com/", false)).isNull();
    assertThat(pub.refusal("https://botframework.com.evil.example/", false)).isNotNull();
    assertThat(pub.refusal("https://evilbotframework.com/", false)).isNotNull();
    assertThat(pub.refusal("https://smba.infra.gcc.teams.microsoft.us/", false)).isNotNull();
    assertThat(
            TrustPolicy.usGovernment().refusal("https://smba.infra.gcc.teams.microsoft.us/", false))
        .isNull();
    assertThat(
            pub.withTrustedHost("connector.example.org")
                .refusal("https://connector.example.org/x/", false))
        .isNull();
    assertThat(pub.refusal("http://localhost:3978/", true)).isNull();
    assertThatThrownBy(() -> pub.withTrustedHost("https://x/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientCredentialsAreFetchedOnceForAHundredConcurrentSends() {
    ClientCredentials creds =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    BotConnectorSender s =
        BotConnectorSender.builder()
            .credentials(creds)
            .maxConnections(100)
            .trustPolicy(TrustPolicy.publicCloud().withTrustedHost("127.0.0.1"))
            .build();
    closeables.add(s);
    List<CompletableFuture<SendOutcome>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(s.sendAsync(ref("c" + i), Activity.message("x")));
    }
    all.forEach(f -> assertThat(f.join().kind()).isEqualTo(Kind.DELIVERED));
    assertThat(connector.tokenRequests()).isEqualTo(1);
    assertThat(connector.requests())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer fake-token-1"));
  }

  @Test
  void tokensAreRefreshedFiveMinutesBeforeExpiry() {
    MutableClock clock = MutableClock.now();
    ClientCredentials creds =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .clock(clock)
            .build();
    assertThat(creds.token().join().value()).isEqualTo("fake-token-1");
    clock.advance(Duration.ofMinutes(54));
    assertThat(creds.token().join().value()).isEqualTo("fake-token-1");
    clock.advance(Duration.ofMinutes(2));
    assertThat(creds.token().join().value()).isEqualTo("fake-token-2");
  }

  @Test
  void tokenEndpointThrottlingIsRetriedAndBadSecretsAreNot() {
    connector.failNextToken(
        FakeConnector.Fault.throttled(Duration.ofSeconds(0)),
        FakeConnector.Fault.error(503, "busy"));
    ClientCredentials creds =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    assertThat(creds.token().join().value()).startsWith("fake-token-");
    assertThat(connector.tokenRequests()).isEqualTo(3);

    connector.failNextToken(
        new FakeConnector.Fault(401, "{\"error\":\"invalid_client\"}", null, Duration.ZERO));
    ClientCredentials bad =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    assertThatThrownBy(() -> bad.token().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TokenException.class)
        .satisfies(
            e -> {
              assertThat(e.getCause().getMessage())
                  .contains("invalid_client")
                  .contains("app-id")
                  .doesNotContain("s3cr3t");
              assertThat(((TokenException) e.getCause()).retryable()).isFalse();
            });
    BotConnectorSender s =
        BotConnectorSender.builder()
            .credentials(bad)
            .trustPolicy(TrustPolicy.publicCloud().withTrustedHost("127.0.0.1"))
            .build();
    closeables.add(s);
    connector.failNextToken(
        new FakeConnector.Fault(401, "{\"error\":\"invalid_client\"}", null, Duration.ZERO));
    SendOutcome o = s.send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(o.message()).doesNotContain("s3cr3t");
  }

  @Test
  void secretsAndTokensNeverAppearInToStringOrMessages() {
    ClientCredentials creds =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    assertThat(creds.toString()).doesNotContain("s3cr3t").contains("***");
    AccessToken t = creds.token().join();
    assertThat(t.toString()).doesNotContain(t.value());
  }

  /** A transport over the JDK's own HTTP client: what "bring your own HttpClient" looks like. */
  static final class JdkTransport implements HttpTransport, AutoCloseable {
    final java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    final java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean closed;

    @Override
    public CompletableFuture<Response> execute(Request r, Duration timeout) {
      requests.incrementAndGet();
      java.net.http.HttpRequest.Builder b =
          java.net.http.HttpRequest.newBuilder(r.uri())
              .timeout(timeout)
              .method(
                  r.method(),
                  r.body() == null
                      ? java.net.http.HttpRequest.BodyPublishers.noBody()
                      : java.net.http.HttpRequest.BodyPublishers.ofByteArray(r.body()));
      r.headers()
          .forEach(
              (k, v) -> {
                if (!k.equalsIgnoreCase("User-Agent")) {
                  b.header(k, v);
                }
              });
      return client
          .sendAsync(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
          .handle(
              (resp, e) -> {
                if (e != null) {
                  Throwable c =
                      e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                  if (c instanceof java.net.ConnectException) {
                    throw new CompletionException(new NotSentException("refused", c));
                  }
                  throw new CompletionException(c);
                }
                Map<String, String> h = new java.util.HashMap<>();
                resp.headers()
                    .map()
                    .forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                return new Response(resp.statusCode(), h, resp.body());
              });
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void bringYourOwnHttpClient() throws Exception {
    JdkTransport mine = new JdkTransport();
    try (BotConnectorSender s =
        BotConnectorSender.builder()
            .anonymous()
            .transport(mine)
            .retry(policy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)))
            .build()) {
      connector.failNext("c", FakeConnector.Fault.throttled(Duration.ofSeconds(0)));
      SendOutcome o = s.send(ref("c"), Activity.message("through my client"));
      assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
      assertThat(o.attempts()).isEqualTo(2);
      assertThat(connector.activities("c"))
          .extracting(Activity::text)
          .containsExactly("through my client");
      assertThat(connector.requests().get(1).header("Content-Type"))
          .isEqualTo("application/json; charset=utf-8");
      int port;
      try (ServerSocket ss = new ServerSocket(0)) {
        port = ss.getLocalPort();
      }
      SendOutcome refused =
          s.send(
              ref("c").withServiceUrl("http://127.0.0.1:" + port + "/amer/"),
              Activity.message("x"));
      assertThat(refused.kind()).isEqualTo(Kind.FAILED);
      assertThat(refused.attempts()).as("NotSentException is retried").isEqualTo(3);
    }
    assertThat(mine.closed).as("the sender never closes a transport it did not create").isFalse();
    assertThat(mine.requests.get()).isEqualTo(5);
  }

  // ---- issue #15 item 4: "not sent" is not "maybe sent" ----

  private String activitiesUrl(String authority) {
    return "http://" + authority + "/amer/v3/conversations/c/activities";
  }

  @Test
  void theDefaultTransportSaysWhetherAnythingWasSent() throws Exception {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    closeables.add(timer::shutdownNow);
    try (HttpClient5Transport t =
        new HttpClient5Transport(
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), 2, 1, timer)) {
      String authority = connector.baseUrl().substring("http://".length());
      Throwable invalid =
          failure(
              t.execute(
                  new HttpTransport.Request(
                      "POST",
                      java.net.URI.create(activitiesUrl("u@" + authority)),
                      Map.of(),
                      new byte[0]),
                  Duration.ofSeconds(2)));
      assertThat(invalid)
          .isInstanceOf(HttpTransport.InvalidRequestException.class)
          .hasMessageContaining("userinfo");
      int port;
      try (ServerSocket ss = new ServerSocket(0)) {
        port = ss.getLocalPort();
      }
      Throwable refused =
          failure(
              t.execute(
                  new HttpTransport.Request(
                      "POST",
                      java.net.URI.create(activitiesUrl("127.0.0.1:" + port)),
                      Map.of(),
                      new byte[0]),
                  Duration.ofSeconds(2)));
      assertThat(refused)
          .isInstanceOf(HttpTransport.NotSentException.class)
          .hasMessageContaining("refused");
      connector.failNext("c", FakeConnector.Fault.drop());
      Throwable dropped =
          failure(
              t.execute(
                  new HttpTransport.Request(
                      "POST", java.net.URI.create(activitiesUrl(authority)), Map.of(), new byte[0]),
                  Duration.ofSeconds(2)));
      assertThat(dropped)
          .as("after the request left: may have been delivered")
          .isNotInstanceOf(HttpTransport.NotSentException.class)
          .isNotInstanceOf(HttpTransport.InvalidRequestException.class);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aTransportThatThrowsOrRefusesGivesAnOutcomeNamingTheCause() {
    HttpTransport invalid =
        (r, t) ->
            CompletableFuture.failedFuture(
                new HttpTransport.InvalidRequestException("bad header", null));
    HttpTransport throwing =
        (r, t) -> {
          throw new IllegalStateException("pool closed");
        };
    try (BotConnectorSender a =
            BotConnectorSender.builder().anonymous().transport(invalid).build();
        BotConnectorSender b =
            BotConnectorSender.builder()
                .anonymous()
                .transport(throwing)
                .retry(RetryStrategy.none())
                .build()) {
      SendOutcome rejected = a.send(ref("c"), Activity.message("x"));
      assertThat(rejected.kind()).isEqualTo(Kind.REJECTED);
      assertThat(rejected.message()).contains("bad header");
      SendOutcome failed = b.send(ref("c"), Activity.message("x"));
      assertThat(failed.kind()).as("a transport that throws sent nothing").isEqualTo(Kind.FAILED);
      assertThat(failed.message()).contains("pool closed");
    }
  }

  // ---- item 5: bounded responses ----

  private static final String ENDLESS_START = "{\"id\":\"big\",\"pad\":\"";

  @Test
  void anEndlessCreatedBodyGivesAnOutcomeAndTheConnectionIsReleased() throws Exception {
    BotConnectorSender s =
        BotConnectorSender.builder()
            .anonymous()
            .maxConnections(1)
            .timeouts(
                new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30)))
            .build();
    closeables.add(s);
    connector.failNext(
        "c", FakeConnector.Fault.shaped(201, ENDLESS_START, FakeConnector.Shape.ENDLESS_BODY));
    SendOutcome o = s.sendAsync(ref("c"), Activity.message("x")).get(30, TimeUnit.SECONDS);
    assertThat(o.kind()).as("201: the connector accepted it").isEqualTo(Kind.DELIVERED);
    assertThat(o.id()).isNull();
    assertThat(o.message()).contains("exceeds 65536 bytes").contains("id is unknown");
    eventually(() -> connector.abortedByClient() == 1);
    assertThat(connector.endlessBytesWritten())
        .as("read stopped at the bound")
        .isLessThan(256L << 20);
    // the only pooled connection was released: the next send goes through
    assertThat(s.sendAsync(ref("c"), Activity.message("y")).get(30, TimeUnit.SECONDS).delivered())
        .isTrue();
  }

  @Test
  void theResponseBoundIsConfigurableAndAppliesToErrorsToo() {
    BotConnectorSender s = BotConnectorSender.builder().anonymous().maxResponseBytes(2048).build();
    closeables.add(s);
    connector.failNext(
        "c",
        FakeConnector.Fault.answer(201, "{\"id\":\"" + "x".repeat(1500) + "\"}"),
        FakeConnector.Fault.answer(201, "{\"id\":\"" + "x".repeat(3000) + "\"}"),
        FakeConnector.Fault.answer(201, "{\"id\":\"" + "é".repeat(1500) + "\"}"),
        FakeConnector.Fault.answer(
            400,
            "{\"error\":{\"code\":\"BadArgument\",\"message\":\"" + "m".repeat(5000) + "\"}}"));
    assertThat(s.send(ref("c"), Activity.message("x")).id()).hasSize(1500);
    SendOutcome big = s.send(ref("c"), Activity.message("x"));
    assertThat(big.delivered()).isTrue();
    assertThat(big.id()).isNull();
    assertThat(s.send(ref("c"), Activity.message("x")).id())
        .as("the bound counts UTF-8 bytes")
        .isNull();
    SendOutcome error = s.send(ref("c"), Activity.message("x"));
    assertThat(error.kind()).isEqualTo(Kind.REJECTED);
    assertThat(error.errorCode()).isEqualTo("400");
    assertThat(error.message()).contains("exceeds 2048 bytes");
    assertThatThrownBy(() -> BotConnectorSender.builder().maxResponseBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxResponseBytes");
  }

  @Test
  void hugeOrCountlessResponseHeadersGiveAnOutcome() throws Exception {
    BotConnectorSender s = anonymous();
    connector.failNext(
        "h",
        FakeConnector.Fault.shaped(201, "{\"id\":\"a\"}", FakeConnector.Shape.HUGE_HEADER),
        FakeConnector.Fault.shaped(201, "{\"id\":\"a\"}", FakeConnector.Shape.MANY_HEADERS));
    SendOutcome huge = s.sendAsync(ref("h"), Activity.message("x")).get(30, TimeUnit.SECONDS);
    assertThat(huge.kind())
        .as("a POST whose answer was unreadable may have been delivered")
        .isEqualTo(Kind.UNKNOWN);
    assertThat(huge.message())
        .contains("may have been delivered")
        .containsIgnoringCase("line length");
    SendOutcome many = s.sendAsync(ref("h"), Activity.message("x")).get(30, TimeUnit.SECONDS);
    assertThat(many.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(many.message()).containsIgnoringCase("header count");
  }

  @Test
  void aFiveThousandCharacterConversationIdGivesAnOutcome() throws Exception {
    BotConnectorSender s = anonymous();
    ConversationParameters p =
        ConversationParameters.oneOnOne(ChannelAccount.of("29:member", "M"), "tenant-1");
    connector.failNext(FakeConnector.Fault.answer(201, "{\"id\":\"" + "x".repeat(5000) + "\"}"));
    SendOutcome o = s.createConversationAsync(ref("team"), p).get(30, TimeUnit.SECONDS);
    assertThat(o.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(o.errorCode()).isEqualTo("InvalidConversationResponse");
    assertThat(o.message()).hasSizeLessThan(400);
    connector.failNext(
        FakeConnector.Fault.answer(
            201, "{\"id\":\"ok\",\"serviceUrl\":{\"x\":1},\"activityId\":7}"));
    SendOutcome odd = s.createConversationAsync(ref("team"), p).get(30, TimeUnit.SECONDS);
    assertThat(odd.delivered()).as("non-text fields are ignored").isTrue();
    assertThat(odd.conversation().serviceUrl()).isEqualTo(connector.serviceUrl());
    connector.failNext(
        FakeConnector.Fault.shaped(201, ENDLESS_START, FakeConnector.Shape.ENDLESS_BODY));
    SendOutcome endless = s.createConversationAsync(ref("team"), p).get(30, TimeUnit.SECONDS);
    assertThat(endless.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(endless.errorCode()).isEqualTo("NoConversationId");
    assertThat(endless.message()).contains("exceeds");
  }

  @Test
  void aTransportsOversizeBodyIsNotRead() {
    HttpTransport mine =
        (r, t) ->
            CompletableFuture.completedFuture(
                new HttpTransport.Response(
                    201, Map.of(), "{\"id\":\"" + "x".repeat(r.maxResponseBytes()) + "\"}"));
    try (BotConnectorSender s = BotConnectorSender.builder().anonymous().transport(mine).build()) {
      SendOutcome o = s.send(ref("c"), Activity.message("x"));
      assertThat(o.delivered()).isTrue();
      assertThat(o.id()).isNull();
      assertThat(o.message()).contains("exceeds 65536 bytes");
    }
  }

  // ---- item 6: the overall timeout bounds each attempt and the whole send ----

  private static final String TRICKLED = "{\"id\":\"" + "t".repeat(60) + "\"}";
  private static final Timeouts TWO_SECONDS =
      new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

  @Test
  void aTricklingServerIsCutAtTheOverallLimit() throws Exception {
    BotConnectorSender s =
        BotConnectorSender.builder().anonymous().maxConnections(1).timeouts(TWO_SECONDS).build();
    closeables.add(s);
    connector.failNext("c", FakeConnector.Fault.shaped(200, TRICKLED, FakeConnector.Shape.TRICKLE));
    long start = System.nanoTime();
    SendOutcome o = s.sendAsync(ref("c"), Activity.message("x")).get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start)
        .as("within the limit + 1 s")
        .isLessThan(Duration.ofSeconds(3).toNanos());
    assertThat(o.kind())
        .as("the POST was sent: it may have been delivered")
        .isEqualTo(Kind.UNKNOWN);
    assertThat(o.errorCode()).isEqualTo("Timeout");
    assertThat(o.message()).contains("may have been delivered");
    assertThat(s.sendAsync(ref("c"), Activity.message("y")).get(30, TimeUnit.SECONDS).delivered())
        .as("the only pooled connection was released")
        .isTrue();
    eventually(() -> connector.abortedByClient() == 1);
  }

  @Test
  void retriesAndTheirBackoffStayWithinTheOverallLimit() throws Exception {
    BotConnectorSender s =
        BotConnectorSender.builder()
            .anonymous()
            .timeouts(TWO_SECONDS)
            .retry(policy(4, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5)))
            .build();
    closeables.add(s);
    connector.failNext(
        "c",
        FakeConnector.Fault.error(503, "ServiceUnavailable"),
        FakeConnector.Fault.shaped(200, TRICKLED, FakeConnector.Shape.TRICKLE));
    long start = System.nanoTime();
    SendOutcome o = s.sendAsync(ref("c"), Activity.message("x")).get(30, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - start)
        .as("within the limit + 1 s")
        .isLessThan(Duration.ofSeconds(3).toNanos());
    assertThat(o.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(o.attempts()).isEqualTo(2);
  }

  @Test
  void aTransportThatNeverAnswersIsCancelledAtTheOverallLimit() throws Exception {
    List<CompletableFuture<HttpTransport.Response>> handedOut =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpTransport never =
        (r, t) -> {
          CompletableFuture<HttpTransport.Response> f = new CompletableFuture<>();
          handedOut.add(f);
          return f;
        };
    try (BotConnectorSender s =
        BotConnectorSender.builder().anonymous().transport(never).timeouts(TWO_SECONDS).build()) {
      long start = System.nanoTime();
      SendOutcome post = s.sendAsync(ref("c"), Activity.message("x")).get(30, TimeUnit.SECONDS);
      assertThat(System.nanoTime() - start)
          .as("within the limit + 1 s")
          .isLessThan(Duration.ofSeconds(3).toNanos());
      assertThat(post.kind()).isEqualTo(Kind.UNKNOWN);
      assertThat(post.errorCode()).isEqualTo("Timeout");
      SendOutcome delete = s.deleteAsync(ref("c"), "a1").get(30, TimeUnit.SECONDS);
      assertThat(delete.kind()).isEqualTo(Kind.FAILED);
      // the deadline answers first, then cancels the transport's future (on the timer thread)
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!handedOut.stream().allMatch(CompletableFuture::isCancelled)
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(handedOut).hasSize(2).allSatisfy(f -> assertThat(f).isCancelled());
    }
  }

  // ---- item 7: Retry-After ----

  @Test
  void aRetryAfterInThePastWaitsTheBackoffNotZero() {
    // a backoff of 30-60 s cannot fit in a 20 s send: honouring the past date as "wait 0" retried
    // at once (4 attempts in ~0 ms); waiting the backoff ends the send after the first 429
    BotConnectorSender s =
        anonymous(policy(4, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5)));
    connector.failNext(
        "c",
        FakeConnector.Fault.throttledWith("Sun, 06 Nov 1994 08:49:37 GMT"),
        FakeConnector.Fault.throttledWith("Sun, 06 Nov 1994 08:49:37 GMT"));
    SendOutcome o = s.send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.retryAfter()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anAbsurdRetryAfterIsCappedAndGarbageIsIgnored() {
    BotConnectorSender s = anonymous();
    connector.failNext("huge", FakeConnector.Fault.throttledWith("99999999999999999999999"));
    SendOutcome huge = s.send(ref("huge"), Activity.message("x"));
    assertThat(huge.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(huge.attempts()).as("beyond maxRetryAfter: not waited").isEqualTo(1);
    assertThat(huge.retryAfter()).isEqualTo(Duration.ofHours(1));
    connector.failNext("garbage", FakeConnector.Fault.throttledWith("soon, I promise"));
    SendOutcome garbage = s.send(ref("garbage"), Activity.message("x"));
    assertThat(garbage.kind())
        .as("unreadable = absent: the backoff applies")
        .isEqualTo(Kind.DELIVERED);
    assertThat(garbage.attempts()).isEqualTo(2);
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void theBuilderRequiresAChoiceOfAuth() {
    assertThatThrownBy(() -> BotConnectorSender.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("anonymous()");
  }
}
