package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inbound validation against a real local OpenID server issuing real RS256 tokens: every refusal
 * answers 401/400/413 and stores nothing.
 */
class InboundTest {

  static final String APP = "00000000-1111-2222-3333-444444444444";
  static final String SERVICE = "https://smba.trafficmanager.net/amer/";

  private final FakeOpenIdServer idp = FakeOpenIdServer.start();
  private final MutableClock clock = MutableClock.now();
  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
  private final CaptureHandler handler =
      CaptureHandler.builder(repo)
          .authenticator(new InboundAuthenticator(idp.config(APP, clock)))
          .maxBodyBytes(64 * 1024)
          .build();

  @AfterEach
  void stop() {
    idp.close();
  }

  static String activity(String type, String channel, String conversation, String more) {
    return "{\"type\":\""
        + type
        + "\",\"id\":\"a1\",\"channelId\":\""
        + channel
        + "\",\"serviceUrl\":\""
        + SERVICE
        + "\",\"from\":{\"id\":\"29:user\"},\"recipient\":{\"id\":\"28:"
        + APP
        + "\"},"
        + "\"conversation\":{\"id\":\""
        + conversation
        + "\",\"tenantId\":\"t1\"}"
        + more
        + "}";
  }

  static byte[] message(String conversation) {
    return activity("message", "msteams", conversation, ",\"text\":\"hi\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  private CaptureHandler.Result post(String token, byte[] body) {
    return handler.handle(token == null ? null : "Bearer " + token, body);
  }

  private void assertRefused(String why, CaptureHandler.Result r, int status) {
    assertThat(r.status()).as(why + ": " + r.message()).isEqualTo(status);
    assertThat(repo.size()).as(why + ": nothing stored").isZero();
  }

  @Test
  void validChannelTokenCapturesTheReference() {
    CaptureHandler.Result r = post(idp.channelToken(APP, SERVICE).sign(), message("a:conv"));
    assertThat(r.status()).as(r.message()).isEqualTo(200);
    assertThat(r.outcome()).isEqualTo(CaptureHandler.Outcome.SAVED);
    assertThat(repo.find(ReferenceKey.of("msteams", "a:conv"))).isPresent();
  }

  @Test
  void rs384AndRs512AreAccepted() {
    assertThat(
            post(idp.channelToken(APP, SERVICE).algorithm(JWSAlgorithm.RS384).sign(), message("c1"))
                .status())
        .isEqualTo(200);
    assertThat(
            post(idp.channelToken(APP, SERVICE).algorithm(JWSAlgorithm.RS512).sign(), message("c2"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void validEmulatorTokensAreAccepted() {
    byte[] body =
        activity("message", "emulator", "conv|livechat", "").getBytes(StandardCharsets.UTF_8);
    assertThat(post(idp.emulatorToken(APP).sign(), body).status()).isEqualTo(200);
    String v1 =
        idp.emulatorToken(APP)
            .claim("ver", "1.0")
            .claim("azp", null)
            .claim("appid", APP)
            .claim("iss", AuthenticationConfig.EMULATOR_ISSUERS.get(0))
            .sign();
    assertThat(post(v1, body).status()).isEqualTo(200);
    assertThat(repo.size()).isEqualTo(1);
  }

  @Test
  void everyForgeryIsRefusedAndNothingStored() {
    byte[] body = message("a:conv");
    assertRefused(
        "forged signature", post(idp.channelToken(APP, SERVICE).forged().sign(), body), 401);
    assertRefused(
        "wrong issuer",
        post(idp.channelToken(APP, SERVICE).claim("iss", "https://evil.example").sign(), body),
        401);
    assertRefused(
        "wrong audience", post(idp.channelToken("another-app", SERVICE).sign(), body), 401);
    assertRefused(
        "expired",
        post(
            idp.channelToken(APP, SERVICE)
                .issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .sign(),
            body),
        401);
    assertRefused(
        "not yet valid",
        post(idp.channelToken(APP, SERVICE).notBeforeOffset(Duration.ofMinutes(10)).sign(), body),
        401);
    assertRefused(
        "serviceUrl mismatch",
        post(idp.channelToken(APP, "https://attacker.example/").sign(), body),
        401);
    assertRefused("alg none", post(idp.channelToken(APP, SERVICE).unsigned(), body), 401);
    assertRefused(
        "HS256 with the public key",
        post(idp.channelToken(APP, SERVICE).hs256WithPublicKey(), body),
        401);
    assertRefused("missing header", post(null, body), 401);
    assertRefused("malformed token", post("abc.def", body), 401);
    assertRefused("not a bearer token", handler.handle("Basic dXNlcjpwYXNz", body), 401);
    assertRefused(
        "emulator token for another app",
        post(
            idp.emulatorToken("another-app").claim("aud", APP).sign(),
            activity("message", "emulator", "c", "").getBytes(StandardCharsets.UTF_8)),
        401);
  }

  @Test
  void skewOfFiveMinutesIsTolerated() {
    String justExpired =
        idp.channelToken(APP, SERVICE).issuedAt(Instant.now().minus(Duration.ofMinutes(63))).sign();
    assertThat(post(justExpired, message("c")).status()).isEqualTo(200);
  }

  @Test
  void keyMustBeEndorsedForTheChannel() {
    idp.endorse(List.of("slack"));
    assertRefused(
        "missing endorsement", post(idp.channelToken(APP, SERVICE).sign(), message("c")), 401);
  }

  @Test
  void bodyProblemsAreRefusedBeforeAnythingIsStored() {
    String token = idp.channelToken(APP, SERVICE).sign();
    byte[] huge =
        activity("message", "msteams", "c", ",\"text\":\"" + "x".repeat(70_000) + "\"")
            .getBytes(StandardCharsets.UTF_8);
    assertRefused("oversized body", post(token, huge), 413);
    assertRefused(
        "malformed body", post(token, "{\"type\":".getBytes(StandardCharsets.UTF_8)), 400);
    assertRefused("empty body", post(token, new byte[0]), 400);
    assertRefused(
        "malformed body without a token", post(null, "nope".getBytes(StandardCharsets.UTF_8)), 401);
  }

  @Test
  void unknownKeyAfterRotationIsAcceptedOnceKeysRefreshAndRefreshesAreRateLimited() {
    assertThat(post(idp.channelToken(APP, SERVICE).sign(), message("c0")).status()).isEqualTo(200);
    int fetches = idp.keyFetches();
    idp.rotateKeys(false);
    String rotated = idp.channelToken(APP, SERVICE).sign();
    assertThat(post(rotated, message("c1")).status())
        .as("unknown kid within the hour")
        .isEqualTo(401);
    assertThat(post(rotated, message("c1")).status()).as("again").isEqualTo(401);
    assertThat(repo.find(ReferenceKey.of("msteams", "c1"))).isEmpty();
    assertThat(idp.keyFetches()).as("no refresh within the hour").isEqualTo(fetches);
    clock.advance(Duration.ofMinutes(61));
    assertThat(post(rotated, message("c1")).status()).isEqualTo(200);
    assertThat(idp.keyFetches()).isEqualTo(fetches + 1);
  }

  @Test
  void keysAreRefetchedAfterADay() {
    post(idp.channelToken(APP, SERVICE).sign(), message("c0"));
    int fetches = idp.keyFetches();
    clock.advance(Duration.ofHours(23));
    post(idp.channelToken(APP, SERVICE).sign(), message("c1"));
    assertThat(idp.keyFetches()).isEqualTo(fetches);
    clock.advance(Duration.ofHours(2));
    // a token issued "now" by the real clock is still valid for the moved clock within the day
    post(idp.channelToken(APP, SERVICE).issuedAt(clock.instant()).sign(), message("c2"));
    assertThat(idp.keyFetches()).isEqualTo(fetches + 1);
  }

  @Test
  void lifecycleEventsAddAndRemoveReferences() {
    String t = idp.channelToken(APP, SERVICE).sign();
    String bot = "{\"id\":\"28:" + APP + "\"}";
    assertThat(
            handler
                .handle(
                    "Bearer " + t,
                    activity("installationUpdate", "msteams", "p1", ",\"action\":\"add\"")
                        .getBytes(StandardCharsets.UTF_8))
                .outcome())
        .isEqualTo(CaptureHandler.Outcome.SAVED);
    assertThat(repo.find(ReferenceKey.of("msteams", "p1"))).isPresent();
    assertThat(
            handler
                .handle(
                    "Bearer " + t,
                    activity("installationUpdate", "msteams", "p1", ",\"action\":\"remove\"")
                        .getBytes(StandardCharsets.UTF_8))
                .outcome())
        .isEqualTo(CaptureHandler.Outcome.REMOVED);
    assertThat(repo.find(ReferenceKey.of("msteams", "p1"))).isEmpty();

    handler.handle(
        "Bearer " + t,
        activity("conversationUpdate", "msteams", "g1", ",\"membersAdded\":[" + bot + "]")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(repo.find(ReferenceKey.of("msteams", "g1"))).isPresent();
    handler.handle(
        "Bearer " + t,
        activity(
                "conversationUpdate",
                "msteams",
                "g1",
                ",\"membersRemoved\":[{\"id\":\"29:other\"}]")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(repo.find(ReferenceKey.of("msteams", "g1")))
        .as("another member left: still reachable")
        .isPresent();
    handler.handle(
        "Bearer " + t,
        activity("conversationUpdate", "msteams", "g1", ",\"membersRemoved\":[" + bot + "]")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(repo.find(ReferenceKey.of("msteams", "g1"))).isEmpty();

    handler.handle(
        "Bearer " + t,
        activity(
                "conversationUpdate",
                "msteams",
                "19:team@thread.tacv2",
                ",\"channelData\":{\"eventType\":\"teamRestored\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(repo.find(ReferenceKey.of("msteams", "19:team@thread.tacv2"))).isPresent();
    handler.handle(
        "Bearer " + t,
        activity(
                "conversationUpdate",
                "msteams",
                "19:team@thread.tacv2",
                ",\"channelData\":{\"eventType\":\"teamDeleted\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(repo.find(ReferenceKey.of("msteams", "19:team@thread.tacv2"))).isEmpty();
  }

  @Test
  void aMessageRefreshesAMovedServiceUrl() {
    String t = idp.channelToken(APP, SERVICE).sign();
    handler.handle("Bearer " + t, message("a:moved"));
    String moved = "https://smba.trafficmanager.net/emea/";
    String t2 = idp.channelToken(APP, moved).sign();
    handler.handle(
        "Bearer " + t2,
        activity("message", "msteams", "a:moved", "")
            .replace(SERVICE, moved)
            .getBytes(StandardCharsets.UTF_8));
    assertThat(
            repo.find(ReferenceKey.of("msteams", "a:moved")).orElseThrow().reference().serviceUrl())
        .isEqualTo(moved);
  }

  @Test
  void aHandlerWithoutAuthenticationConfigIsRefusedAtBuildTime() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaptureHandler.builder(repo).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("anonymous()");
  }

  @Test
  void wiredIntoTheJdkHttpServer() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/messages",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Function<String, String> headers = ex.getRequestHeaders()::getFirst;
          CaptureHandler.Result r = handler.handle(headers, body);
          ex.sendResponseHeaders(r.status(), -1);
          ex.close();
        });
    server.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/messages");
      HttpResponse<Void> ok =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + idp.channelToken(APP, SERVICE).sign())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(message("a:http")))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> bad =
          http.send(
              HttpRequest.newBuilder(uri)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(message("a:nope")))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(bad.statusCode()).isEqualTo(401);
      assertThat(repo.list(ListQuery.all()).items())
          .extracting(s -> s.key().conversationId())
          .containsExactly("a:http");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anonymousModeStillAppliesTheServiceUrlRuleBeforeStoring() {
    CaptureHandler anon =
        CaptureHandler.builder(repo).authentication(AuthenticationConfig.anonymous()).build();
    for (String bad :
        List.of(
            "http://127.evil.example/",
            "http://localhost.evil.com/",
            "http://127.0.0.1.nip.io/",
            SERVICE + "?x=1",
            SERVICE + "#frag",
            "https://smba.trafficmanager.net./amer/",
            "https://\u017Fmba.trafficmanager.net/")) {
      CaptureHandler.Result r =
          anon.handle(
              (String) null,
              activity("message", "msteams", "c", "")
                  .replace(SERVICE, bad)
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(r.status()).as(bad + ": " + r.message()).isEqualTo(400);
      assertThat(r.message()).contains("serviceUrl");
    }
    assertThat(repo.size()).isZero();
    assertThat(
            anon.handle(
                    (String) null,
                    activity("message", "emulator", "c", "")
                        .replace(SERVICE, "http://localhost:52673")
                        .getBytes(StandardCharsets.UTF_8))
                .status())
        .as("the Emulator")
        .isEqualTo(200);
  }

  @Test
  void anonymousModeAcceptsWithoutTokens() {
    CaptureHandler anon =
        CaptureHandler.builder(repo).authentication(AuthenticationConfig.anonymous()).build();
    assertThat(anon.handle((String) null, message("local")).status()).isEqualTo(200);
    assertThat(anon.handle((String) null, "{bad".getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(400);
  }
}
