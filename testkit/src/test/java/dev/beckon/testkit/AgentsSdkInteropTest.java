package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenProvider;
import dev.beckon.auth.TokenRouting;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.codec.AgentsConversations;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * References and stored conversations of the Microsoft 365 Agents SDK, sent through Beckon: the bot
 * ({@code agent}) becomes {@code from}; with a {@link TokenRouting}, each app's reference goes out
 * with that app's token.
 */
class AgentsSdkInteropTest {

  static final ObjectMapper M = new ObjectMapper();
  static final String APP_A = "00000000-0000-0000-0000-00000000b0b0";
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  // the Teams bot of fixture 03 is 28:<APP_B>, in the conversation's tenant
  static final String APP_B = "1f2e3d4c-5b6a-4798-a1b2-c3d4e5f60718";
  static final String TENANT_B = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";

  static ConversationReference local(ConversationReference ref, FakeConnector c) {
    String path = URI.create(ref.serviceUrl()).getRawPath();
    return ref.withServiceUrl(c.baseUrl() + (path == null ? "" : path));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message",
        "02-teams-personal-message",
        "03-teams-channel-thread-message",
        "07-directline-conversation-update"
      })
  void aSendFromAnAgentsReferenceHasFromSet(String name) throws Exception {
    String json = WireConformanceTest.read("agents-js/conversation-reference/" + name + ".json");
    ConversationReference ref = ReferenceJson.read(json);
    try (FakeConnector connector = FakeConnector.start();
        BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
      SendOutcome o = sender.send(local(ref, connector), Activity.message("Hello"));
      assertThat(o.delivered()).as(o.toString()).isTrue();
      JsonNode body = M.readTree(connector.requests().get(0).body());
      assertThat(body.get("from")).isEqualTo(M.readTree(json).get("agent"));
      // the stored Proactive conversation: the same from, and no claims on the wire
      String stored =
          WireConformanceTest.read("agents-js/proactive-conversation/" + name + ".json");
      AgentsConversations.Item item =
          AgentsConversations.read(stored.getBytes(StandardCharsets.UTF_8)).items().get(0);
      assertThat(
              sender
                  .send(local(item.reference(), connector), Activity.message("Hello"))
                  .delivered())
          .isTrue();
      JsonNode again = M.readTree(connector.requests().get(1).body());
      assertThat(again).isEqualTo(body);
      assertThat(again.has("claims")).isFalse();
    }
  }

  static String tokenBody(String value) {
    return "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"" + value + "\"}";
  }

  @Test
  void eachAppsReferenceGoesOutWithThatAppsToken() throws Exception {
    try (FakeConnector connector = FakeConnector.start();
        FakeConnector idpA = FakeConnector.start();
        FakeConnector idpB = FakeConnector.start();
        FakeConnector idpDefault = FakeConnector.start()) {
      idpA.failNextToken(FakeConnector.Fault.answer(200, tokenBody("token-of-app-a")));
      idpB.failNextToken(FakeConnector.Fault.answer(200, tokenBody("token-of-app-b")));
      idpDefault.failNextToken(FakeConnector.Fault.answer(200, tokenBody("token-of-default")));
      TokenProvider a =
          ClientCredentials.builder(APP_A, "secret-a").tokenEndpoint(idpA.tokenEndpoint()).build();
      TokenProvider b =
          ClientCredentials.builder(APP_B, "secret-b").tokenEndpoint(idpB.tokenEndpoint()).build();
      TokenProvider fallback =
          ClientCredentials.builder("default-app", "secret-d")
              .tokenEndpoint(idpDefault.tokenEndpoint())
              .build();
      TrustPolicy loopback = TrustPolicy.publicCloud().withTrustedHost("127.0.0.1");
      // app A from an imported Agents conversation (claims.aud, claims.tid)
      String stored =
          WireConformanceTest.read("agents-js/proactive-conversation/01-emulator-message.json");
      ConversationReference fromAgents =
          local(
              AgentsConversations.read(stored.getBytes(StandardCharsets.UTF_8))
                  .items()
                  .get(0)
                  .reference(),
              connector);
      // app B from a Teams reference with no claims: bot 28:<APP_B>, conversation.tenantId
      ConversationReference teams =
          local(SampleReferences.fixture("js-03-teams-channel-thread-message"), connector);
      ConversationReference unknown =
          AgentsConversations.withClaims(
              fromAgents, "99999999-0000-0000-0000-000000000000", TENANT);

      TokenRouting routing =
          TokenProvider.routing()
              .app(APP_A.toUpperCase(java.util.Locale.ROOT), a) // ids compare without case
              .app(APP_B, TENANT_B, b)
              .build();
      assertThat(routing.toString()).doesNotContain("secret");
      try (BotConnectorSender sender =
          BotConnectorSender.builder().credentials(routing).trustPolicy(loopback).build()) {
        assertThat(sender.send(fromAgents, Activity.message("to A")).delivered()).isTrue();
        assertThat(sender.send(teams, Activity.message("to B")).delivered()).isTrue();
        assertThat(sender.reply(teams, "1718116330456", Activity.message("B again")).delivered())
            .isTrue();
        SendOutcome refused = sender.send(unknown, Activity.message("to nobody"));
        assertThat(refused.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(refused.errorCode()).isEqualTo("NoTokenRoute");
        assertThat(refused.message()).contains("99999999-0000-0000-0000-000000000000");
        List<FakeConnector.Request> r = connector.requests();
        assertThat(r).hasSize(3);
        assertThat(r.get(0).header("Authorization")).isEqualTo("Bearer token-of-app-a");
        assertThat(r.get(1).header("Authorization")).isEqualTo("Bearer token-of-app-b");
        assertThat(r.get(2).header("Authorization")).isEqualTo("Bearer token-of-app-b");
        assertThat(idpA.tokenRequests()).isEqualTo(1);
        assertThat(idpB.tokenRequests()).isEqualTo(1);
        assertThat(idpDefault.tokenRequests()).isZero();
      }
      connector.reset();
      TokenRouting withFallback = TokenProvider.routing().app(APP_A, a).fallback(fallback).build();
      try (BotConnectorSender sender =
          BotConnectorSender.builder().credentials(withFallback).trustPolicy(loopback).build()) {
        assertThat(sender.send(unknown, Activity.message("x")).delivered()).isTrue();
        assertThat(sender.send(teams, Activity.message("y")).delivered())
            .as("app B in tenant B is not registered here: the fallback")
            .isTrue();
        assertThat(sender.send(fromAgents, Activity.message("z")).delivered()).isTrue();
        List<FakeConnector.Request> r = connector.requests();
        assertThat(r.get(0).header("Authorization")).isEqualTo("Bearer token-of-default");
        assertThat(r.get(1).header("Authorization")).isEqualTo("Bearer token-of-default");
        assertThat(r.get(2).header("Authorization")).isEqualTo("Bearer token-of-app-a");
        assertThat(withFallback.token().join().value()).isEqualTo("token-of-default");
      }
    }
  }
}
