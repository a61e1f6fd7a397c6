package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.send.transport.HttpTransport;
import dev.beckon.store.ListQuery;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the bot's token may go (#15 items 1-3): every send path refuses an untrusted serviceUrl as
 * REJECTED before a token is fetched (the FakeConnector's real token endpoint sees no request) and
 * before any request leaves (a recording transport sees none); a serviceUrl that breaks the rule
 * cannot even become a reference.
 */
class TrustTest {

  private final FakeConnector connector = FakeConnector.start();
  private final List<HttpTransport.Request> sent = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    connector.close();
  }

  /** A sender with a real token endpoint and a transport that records whatever would leave. */
  private BotConnectorSender withToken(TrustPolicy policy) {
    ClientCredentials creds =
        ClientCredentials.builder("app", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    HttpTransport recording =
        (request, timeout) -> {
          sent.add(request);
          return CompletableFuture.completedFuture(
              new HttpTransport.Response(201, java.util.Map.of(), "{\"id\":\"x\"}"));
        };
    BotConnectorSender s =
        BotConnectorSender.builder()
            .credentials(creds)
            .trustPolicy(policy)
            .transport(recording)
            .build();
    closeables.add(s);
    return s;
  }

  private static ConversationReference at(String serviceUrl) {
    return SampleReferences.reference("msteams", "a:conv", "tenant-1").withServiceUrl(serviceUrl);
  }

  static Stream<Arguments> paths() {
    List<Arguments> out = new ArrayList<>();
    out.add(path("send", (s, r) -> s.send(r, Activity.message("x"))));
    out.add(path("reply", (s, r) -> s.reply(r, "1712", Activity.message("x"))));
    out.add(path("update", (s, r) -> s.update(r, "1712", Activity.message("x"))));
    out.add(path("delete", (s, r) -> s.delete(r, "1712")));
    out.add(
        path(
            "createConversation",
            (s, r) ->
                s.createConversation(
                    r,
                    ConversationParameters.oneOnOne(
                        new ChannelAccount("29:u", null, null, null, java.util.Map.of()),
                        "tenant-1"))));
    return out.stream();
  }

  private static Arguments path(
      String name, BiFunction<Sender, ConversationReference, SendOutcome> call) {
    return Arguments.of(Named.of(name, call));
  }

  static Stream<Arguments> untrusted() {
    List<Arguments> out = new ArrayList<>();
    String[][] urls = {
      {
        "any Traffic Manager profile",
        "https://attacker.trafficmanager.net/",
        "attacker.trafficmanager.net"
      },
      {
        "a Traffic Manager profile named like a region",
        "https://amer.trafficmanager.net/amer/",
        "amer.trafficmanager.net"
      },
      {
        "dotless i (U+0131) in trafficmanager", "https://smba.traff\u0131cmanager.net/amer/", "xn--"
      },
      {
        "a look-alike suffix",
        "https://botframework.com.evil.example/",
        "botframework.com.evil.example"
      },
      {"plain http loopback with a token", "http://127.0.0.1:1/amer/", "loopback"},
      {"localhost with a token", "http://localhost:1/", "loopback"},
    };
    paths()
        .forEach(
            p -> {
              for (String[] u : urls) {
                Named<?> call = (Named<?>) p.get()[0];
                out.add(
                    Arguments.of(
                        Named.of(call.getName() + " to " + u[0], call.getPayload()), u[1], u[2]));
              }
            });
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untrusted")
  @SuppressWarnings("unchecked")
  void everySendPathRefusesAnUntrustedHostWithoutAToken(
      Object call, String serviceUrl, String named) {
    SendOutcome o =
        ((BiFunction<Sender, ConversationReference, SendOutcome>) call)
            .apply(withToken(TrustPolicy.publicCloud()), at(serviceUrl));
    assertThat(o.kind()).as(o.message()).isEqualTo(SendOutcome.Kind.REJECTED);
    assertThat(o.errorCode()).isEqualTo("UntrustedServiceUrl");
    assertThat(o.message()).startsWith("not sent: ").contains(named);
    assertThat(connector.tokenRequests()).as("no token was fetched").isZero();
    assertThat(sent).as("nothing left the process").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void theSmbaProfileItselfIsTrustedAndGetsTheToken(
      BiFunction<Sender, ConversationReference, SendOutcome> call) {
    SendOutcome o =
        call.apply(
            withToken(TrustPolicy.publicCloud()), at("https://smba.trafficmanager.net/amer/"));
    assertThat(o.kind()).as(o.message()).isNotEqualTo(SendOutcome.Kind.REJECTED);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).uri().toString())
        .startsWith("https://smba.trafficmanager.net/amer/v3/conversations");
    assertThat(sent.get(0).headers().get("Authorization")).startsWith("Bearer ");
  }

  @Test
  void aBroadcastCountsUntrustedReferencesAsNotDeliveredAndSendsNothingThere() {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    repo.save(at("https://attacker.trafficmanager.net/"));
    repo.save(
        SampleReferences.reference("msteams", "b:ok", "tenant-1")
            .withServiceUrl("https://smba.trafficmanager.net/amer/"));
    BroadcastReport r =
        Broadcast.builder(repo, withToken(TrustPolicy.publicCloud()))
            .id("trust")
            .query(ListQuery.all())
            .message(Activity.message("hi"))
            .build()
            .start()
            .join();
    assertThat(r.delivered()).isEqualTo(1);
    assertThat(r.notDelivered())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.key().conversationId()).isEqualTo("a:conv");
              assertThat(o.kind()).isEqualTo(BroadcastOutcome.Kind.FAILED);
              assertThat(o.reason()).contains("attacker.trafficmanager.net");
            });
    assertThat(sent).extracting(q -> q.uri().getHost()).containsExactly("smba.trafficmanager.net");
  }

  @Test
  void aCreatedConversationNeverTakesAServiceUrlThatBreaksTheRule() {
    for (String answered :
        List.of("https://smba.trafficmanager.net/amer/?x=1", "https://u:p@evil.example/", "")) {
      ClientCredentials creds =
          ClientCredentials.builder("app", "s3cr3t-value")
              .tokenEndpoint(connector.tokenEndpoint())
              .build();
      HttpTransport answering =
          (request, timeout) ->
              CompletableFuture.completedFuture(
                  new HttpTransport.Response(
                      201,
                      java.util.Map.of(),
                      "{\"id\":\"a:new\",\"serviceUrl\":\"" + answered + "\"}"));
      BotConnectorSender s =
          BotConnectorSender.builder().credentials(creds).transport(answering).build();
      closeables.add(s);
      SendOutcome o =
          s.createConversation(
              at("https://smba.trafficmanager.net/amer/"),
              ConversationParameters.oneOnOne(
                  new ChannelAccount("29:u", null, null, null, java.util.Map.of()), "tenant-1"));
      assertThat(o.kind()).as(answered + ": " + o.message()).isEqualTo(SendOutcome.Kind.DELIVERED);
      assertThat(o.conversation().serviceUrl())
          .as(answered)
          .isEqualTo("https://smba.trafficmanager.net/amer/");
    }
  }

  @Test
  void presetsTrustOnlyHostsMicrosoftAloneControls() {
    TrustPolicy pub = TrustPolicy.publicCloud();
    assertThat(pub.trustedHosts())
        .containsExactly("*.botframework.com", "smba.trafficmanager.net", "*.teams.microsoft.com");
    assertThat(pub.refusal("https://smba.trafficmanager.net/amer/", false)).isNull();
    assertThat(pub.refusal("https://SMBA.trafficmanager.NET/amer/", false)).isNull();
    assertThat(pub.refusal("https://europe.webchat.botframework.com/", false)).isNull();
    assertThat(pub.refusal("https://smba.infra.gcc.teams.microsoft.com/teams", false)).isNull();
    assertThat(pub.refusal("https://attacker.trafficmanager.net/", false))
        .contains("attacker.trafficmanager.net");
    assertThat(pub.refusal("https://trafficmanager.net/", false)).isNotNull();
    assertThat(pub.refusal("https://smba.trafficmanager.net./amer/", false)).contains("'.'");
    assertThat(pub.refusal("https://\u017Fmba.trafficmanager.net/amer/", false))
        .contains("normalisation");
    assertThat(pub.refusal("https://smba.infra.gov.teams.microsoft.us/teams", false)).isNotNull();
    assertThat(pub.refusal("https://x.botframework.azure.cn/", false)).isNotNull();

    TrustPolicy gov = TrustPolicy.usGovernment();
    assertThat(gov.trustedHosts()).doesNotContain("*.trafficmanager.net");
    assertThat(gov.refusal("https://smba.infra.gov.teams.microsoft.us/teams", false)).isNull();
    assertThat(gov.refusal("https://smba.infra.dod.teams.microsoft.us/teams", false)).isNull();
    assertThat(gov.refusal("https://x.botframework.us/", false)).isNull();
    assertThat(gov.refusal("https://x.botframework.azure.us/", false)).isNull();
    assertThat(gov.refusal("https://smba.infra.gcc.teams.microsoft.com/teams", false)).isNull();
    assertThat(gov.refusal("https://attacker.trafficmanager.net/", false)).isNotNull();

    TrustPolicy china = TrustPolicy.china();
    assertThat(china.refusal("https://x.botframework.azure.cn/", false)).isNull();
    assertThat(china.refusal("https://smba.trafficmanager.net/amer/", false)).isNotNull();
    assertThat(china.refusal("https://attacker.trafficmanager.net/", false)).isNotNull();
  }

  @Test
  void loopbackIsALiteralNotAPrefix() {
    TrustPolicy pub = TrustPolicy.publicCloud();
    assertThat(pub.refusal("http://127.0.0.1:3978/", true)).isNull();
    assertThat(pub.refusal("http://localhost:3978/", true)).isNull();
    assertThat(pub.refusal("http://[::1]:3978/", true)).isNull();
    for (String host :
        List.of(
            "127.evil.example", "127.0.0.1.nip.io", "localhost.evil.com", "0x7f.1", "2130706433")) {
      assertThat(pub.refusal("http://" + host + "/", true)).as(host).contains("https");
      assertThatThrownBy(() -> at("http://" + host + "/"))
          .as(host)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anonymousSendersReachLoopbackOverHttpButNeverADnsNameThatStartsWith127() {
    BotConnectorSender anon = BotConnectorSender.builder().anonymous().build();
    closeables.add(anon);
    assertThat(anon.send(at(connector.serviceUrl()), Activity.message("x")).kind())
        .isEqualTo(SendOutcome.Kind.DELIVERED);
    assertThatThrownBy(() -> at("http://127.evil.example/amer/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    SendOutcome https = anon.send(at("https://127.evil.example/amer/"), Activity.message("x"));
    assertThat(https.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
    assertThat(connector.requests()).hasSize(1);
  }

  @Test
  void aQueryOrFragmentCanNeverRedirectThePostBecauseNoReferenceCanHoldOne() {
    // before: ".../amer/?x=1" posted to "/amer/?x=1/v3/conversations/...", ".../amer/#frag" to
    // "/amer/"
    for (String bad :
        List.of(
            connector.serviceUrl() + "?x=1",
            connector.serviceUrl() + "#frag",
            "https://smba.trafficmanager.net/amer/?x=1",
            "https://smba.trafficmanager.net/amer/#frag")) {
      assertThatThrownBy(() -> at(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("serviceUrl");
      assertThatThrownBy(
              () ->
                  ReferenceJson.read(
                      "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"msteams\","
                          + "\"serviceUrl\":\""
                          + bad
                          + "\"}"))
          .as(bad)
          .isInstanceOf(MalformedReferenceException.class)
          .satisfies(
              e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo("serviceUrl"));
    }
    BotConnectorSender anon = BotConnectorSender.builder().anonymous().build();
    closeables.add(anon);
    anon.send(at(connector.serviceUrl()), Activity.message("x"));
    assertThat(connector.requests())
        .singleElement()
        .satisfies(
            q ->
                assertThat(q.rawPath())
                    .isEqualTo(
                        java.net
                                .URI
                                .create(connector.serviceUrl())
                                .getRawPath()
                                .replaceAll("/+$", "")
                            + "/v3/conversations/a%3Aconv/activities"));
  }
}
