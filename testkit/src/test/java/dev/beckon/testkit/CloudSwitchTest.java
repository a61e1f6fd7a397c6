package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationException;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.transport.HttpTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One {@link Cloud} value switches the three sides together (#18): per cloud, the sender's token
 * request (its URL and scope), the hosts that may receive the token, and the issuers inbound
 * validation accepts. Nothing leaves loopback: the token request goes to a local endpoint (the
 * cloud's own token URL is only compared), sends go to a recording transport.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudSwitchTest {

  static final String APP = InboundTest.APP;
  static final String TENANT = InboundEntraAdversarialTest.TENANT;

  private final FakeOpenIdServer idp = FakeOpenIdServer.start();
  private final List<Map<String, String>> tokenForms = new CopyOnWriteArrayList<>();
  private final HttpServer tokenServer;

  CloudSwitchTest() throws IOException {
    tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenServer.createContext(
        "/token",
        ex -> {
          String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          tokenForms.add(
              Stream.of(form.split("&"))
                  .map(p -> p.split("=", 2))
                  .collect(
                      Collectors.toMap(
                          p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8))));
          byte[] body =
              "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"t\"}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    tokenServer.start();
  }

  @AfterAll
  void stop() {
    tokenServer.stop(0);
    idp.close();
  }

  static Stream<Cloud> clouds() {
    return Stream.of(Cloud.PUBLIC, Cloud.US_GOV, Cloud.US_DOD, Cloud.CHINA);
  }

  /** A service URL of the cloud's own hosts. */
  static String serviceUrlOf(Cloud cloud) {
    URI teams = cloud.teamsServiceUrl();
    return teams != null ? teams.toString() : "https://api.botframework.azure.cn/";
  }

  @ParameterizedTest
  @MethodSource("clouds")
  void oneCloudValueSwitchesTheTokenTheTrustedHostsAndTheAcceptedIssuers(Cloud cloud)
      throws Exception {
    // outbound token: the cloud's URL and scope
    ClientCredentials real =
        ClientCredentials.builder(APP, "s3cr3t").cloud(cloud).tenant(TENANT).build();
    assertThat(real.tokenEndpoint()).isEqualTo(cloud.tokenEndpoint(TENANT));
    ClientCredentials creds =
        ClientCredentials.builder(APP, "s3cr3t")
            .cloud(cloud)
            .tenant(TENANT)
            .tokenEndpoint(
                URI.create("http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token"))
            .build();
    List<HttpTransport.Request> sent = new CopyOnWriteArrayList<>();
    HttpTransport recording =
        (request, timeout) -> {
          sent.add(request);
          return CompletableFuture.completedFuture(
              new HttpTransport.Response(201, Map.of(), "{\"id\":\"x\"}"));
        };
    int before = tokenForms.size();
    try (BotConnectorSender sender =
        BotConnectorSender.builder().cloud(cloud).credentials(creds).transport(recording).build()) {
      SendOutcome own = sender.send(at(serviceUrlOf(cloud)), Activity.message("hi"));
      assertThat(own.delivered()).as(own.message()).isTrue();
      assertThat(tokenForms.subList(before, tokenForms.size()))
          .singleElement()
          .satisfies(f -> assertThat(f).containsEntry("scope", cloud.scope()));
      assertThat(sent)
          .singleElement()
          .satisfies(r -> assertThat(r.uri().toString()).startsWith(serviceUrlOf(cloud)));
      // trusted hosts: every other cloud's host is refused before anything leaves
      for (Cloud other :
          clouds().filter(o -> !o.trustedHosts().equals(cloud.trustedHosts())).toList()) {
        SendOutcome o = sender.send(at(serviceUrlOf(other)), Activity.message("hi"));
        assertThat(o.kind()).as(other.name()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(o.errorCode()).isEqualTo("UntrustedServiceUrl");
      }
      assertThat(sent).as("nothing sent to another cloud's host").hasSize(1);
    }

    // inbound: this cloud's channel and Entra issuers, and no other cloud's
    InboundAuthenticator inbound =
        new InboundAuthenticator(idp.config(APP, cloud, TENANT).withClock(MutableClock.now()));
    String svc = serviceUrlOf(cloud);
    assertThat(
            inbound
                .authenticate(
                    "Bearer "
                        + idp.channelToken(APP, svc).claim("iss", cloud.channelIssuer()).sign(),
                    "msteams",
                    svc)
                .issuer())
        .isEqualTo(cloud.channelIssuer());
    assertThat(
            inbound
                .authenticate(
                    "Bearer " + idp.entraToken(cloud, TENANT, true, APP).sign(), "msteams", svc)
                .issuer())
        .isEqualTo(cloud.entraV2Issuer(TENANT));
    assertThat(
            inbound
                .authenticate(
                    "Bearer " + idp.entraToken(cloud, TENANT, false, APP).sign(), "msteams", svc)
                .tenantId())
        .isEqualTo(TENANT);
    for (Cloud other : clouds().filter(o -> !o.scope().equals(cloud.scope())).toList()) {
      String foreignChannel = idp.channelToken(APP, svc).claim("iss", other.channelIssuer()).sign();
      assertThatThrownBy(() -> inbound.authenticate("Bearer " + foreignChannel, "msteams", svc))
          .as("%s channel token at a %s bot", other.name(), cloud.name())
          .isInstanceOf(AuthenticationException.class);
      String foreignEntra = idp.entraToken(other, TENANT, true, APP).sign();
      assertThatThrownBy(() -> inbound.authenticate("Bearer " + foreignEntra, "msteams", svc))
          .as("%s Entra token at a %s bot", other.name(), cloud.name())
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void aSenderRefusesCredentialsOfAnotherCloud() {
    ClientCredentials publicCreds = ClientCredentials.builder(APP, "s3cr3t").build();
    assertThatThrownBy(
            () -> BotConnectorSender.builder().cloud(Cloud.US_GOV).credentials(publicCreds).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("us-gov")
        .hasMessageNotContaining("s3cr3t");
    try (BotConnectorSender ok =
        BotConnectorSender.builder()
            .cloud(Cloud.US_DOD)
            .credentials(ClientCredentials.builder(APP, "s3cr3t").cloud(Cloud.US_GOV).build())
            .build()) {
      assertThat(ok).as("GCC High and DoD share the scope").isNotNull();
    }
  }

  private static ConversationReference at(String serviceUrl) {
    return SampleReferences.reference("msteams", "a:conv", "tenant-1").withServiceUrl(serviceUrl);
  }
}
