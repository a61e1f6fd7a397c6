package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Direct Line channel: the client's flow as Web Chat drives it, the bot's answers through
 * Beckon's own sender, and hostile requests on both sides (each refused with a status, never a 500,
 * never echoing input).
 */
class DirectLineChannelTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A stand-in bot endpoint: takes activities (200) and keeps their bodies. */
  HttpServer bot;

  final List<String> toBot = new CopyOnWriteArrayList<>();
  DirectLineChannel channel;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    bot = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    bot.createContext(
        "/api/messages",
        ex -> {
          toBot.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    bot.start();
    channel =
        DirectLineChannel.start(
            URI.create("http://127.0.0.1:" + bot.getAddress().getPort() + "/api/messages"));
  }

  @AfterEach
  void stop() {
    channel.close();
    bot.stop(0);
  }

  HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(channel.baseUrl() + path.substring(1)))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode conversation() throws Exception {
    HttpResponse<String> r = call("POST", "/v3/directline/conversations", channel.secret(), "");
    assertThat(r.statusCode()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  @Test
  void aClientConversationReachesTheBotAndTheBotsAnswerIsPolledBack() throws Exception {
    JsonNode c = conversation();
    String id = c.path("conversationId").asText();
    String token = c.path("token").asText();
    HttpResponse<String> posted =
        call(
            "POST",
            "/v3/directline/conversations/" + id + "/activities",
            token,
            "{\"type\":\"message\",\"from\":{\"id\":\"ada\",\"role\":\"bot\"},\"text\":\"hi\",\"serviceUrl\":\"https://evil.example/\"}");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    assertThat(toBot).hasSize(1);
    Activity in = dev.beckon.codec.ActivityJson.read(toBot.get(0));
    assertThat(in.serviceUrl())
        .as("the channel's, never the client's")
        .isEqualTo(channel.serviceUrl());
    assertThat(in.channelId()).isEqualTo("webchat");
    assertThat(in.conversation().id()).isEqualTo(id);
    assertThat(in.from().role()).as("a client cannot pose as the bot").isEqualTo("user");

    try (BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
      ConversationReference ref =
          ReferenceJson.read(
              "{\"activityId\":\""
                  + in.id()
                  + "\",\"bot\":{\"id\":\"beckon-bot\"},\"conversation\":{\"id\":\""
                  + id
                  + "\"},\"channelId\":\"webchat\",\"serviceUrl\":\""
                  + channel.serviceUrl()
                  + "\"}");
      SendOutcome o = sender.reply(ref, in.id(), Activity.message("hello Ada"));
      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.DELIVERED);
    }
    HttpResponse<String> polled =
        call("GET", "/v3/directline/conversations/" + id + "/activities?watermark=1", token, null);
    JsonNode page = JSON.readTree(polled.body());
    assertThat(page.path("watermark").asText()).isEqualTo("2");
    assertThat(page.path("activities")).hasSize(1);
    assertThat(page.path("activities").get(0).path("text").asText()).isEqualTo("hello Ada");
    assertThat(page.path("activities").get(0).path("from").path("role").asText()).isEqualTo("bot");
    assertThat(page.path("activities").get(0).path("replyToId").asText()).isEqualTo(in.id());
    assertThat(channel.transcript(id))
        .extracting(Activity::text)
        .containsExactly("hi", "hello Ada");
  }

  @Test
  void withoutTheSecretOrWithAnotherConversationsTokenNothingIsServed() throws Exception {
    assertThat(call("POST", "/v3/directline/conversations", null, "").statusCode()).isEqualTo(403);
    assertThat(call("POST", "/v3/directline/conversations", "wrong", "").statusCode())
        .isEqualTo(403);
    JsonNode a = conversation();
    JsonNode b = conversation();
    String path =
        "/v3/directline/conversations/" + a.path("conversationId").asText() + "/activities";
    assertThat(call("GET", path, b.path("token").asText(), null).statusCode()).isEqualTo(403);
    assertThat(call("GET", path, channel.secret(), null).statusCode()).isEqualTo(403);
    HttpResponse<String> r = call("GET", path, "x".repeat(10_000), null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain("xxxx");
    assertThat(call("POST", "/v3/directline/tokens/refresh", "nope", "").statusCode())
        .isEqualTo(403);
    assertThat(
            call("POST", "/v3/directline/tokens/refresh", a.path("token").asText(), "")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void hostileBodiesAndQueriesAreRefusedWithAStatus() throws Exception {
    JsonNode c = conversation();
    String id = c.path("conversationId").asText();
    String token = c.path("token").asText();
    String path = "/v3/directline/conversations/" + id + "/activities";
    assertThat(
            call("POST", path, token, "x".repeat(DirectLineChannel.MAX_CLIENT_BODY + 1))
                .statusCode())
        .isEqualTo(413);
    assertThat(call("POST", path, token, "[".repeat(5_000) + "]".repeat(5_000)).statusCode())
        .isEqualTo(400);
    assertThat(
            call(
                    "POST",
                    path,
                    token,
                    "{\"type\":\"message\",\"x\":"
                        + "[".repeat(40)
                        + "]".repeat(40)
                        + ",\"from\":{\"id\":\"a\"}}")
                .statusCode())
        .isEqualTo(400);
    assertThat(call("POST", path, token, "[1,2]").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, token, "{\"type\":1}").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, token, "{\"type\":\"message\"}").statusCode())
        .as("no from.id")
        .isEqualTo(400);
    assertThat(
            call(
                    "POST",
                    path,
                    token,
                    "{\"type\":\"message\",\"from\":{\"id\":\"a\"},\"n\":1" + "0".repeat(100) + "}")
                .statusCode())
        .isEqualTo(400);
    assertThat(call("GET", path + "?watermark=-1", token, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", path + "?watermark=99999999999", token, null).statusCode())
        .isEqualTo(400);
    assertThat(call("GET", path + "?watermark=" + "1".repeat(300), token, null).statusCode())
        .isEqualTo(400);
    assertThat(call("GET", path + "?watermark=999999999", token, null).statusCode()).isEqualTo(200);
    assertThat(call("DELETE", path, token, null).statusCode()).isEqualTo(405);
    assertThat(toBot).isEmpty();
    assertThat(channel.transcript(id)).isEmpty();
  }

  @Test
  void theConnectorSideRefusesUnknownConversationsAndHostileBodies() throws Exception {
    assertThat(
            call("POST", "/v3/conversations/nope/activities", null, "{\"type\":\"message\"}")
                .statusCode())
        .isEqualTo(404);
    assertThat(
            call(
                    "POST",
                    "/v3/conversations/" + "%2e%2e%2f".repeat(10) + "/activities",
                    null,
                    "{\"type\":\"message\"}")
                .statusCode())
        .isEqualTo(404);
    String id = conversation().path("conversationId").asText();
    String path = "/v3/conversations/" + id + "/activities";
    assertThat(
            call("POST", path, null, "x".repeat(DirectLineChannel.MAX_BOT_BODY + 1)).statusCode())
        .isEqualTo(413);
    assertThat(call("POST", path, null, "{}").statusCode()).isEqualTo(400);
    assertThat(call("GET", path, null, null).statusCode()).isEqualTo(405);
    HttpResponse<String> ok =
        call(
            "POST",
            path,
            null,
            "{\"type\":\"message\",\"text\":\"t\",\"from\":{\"id\":\"user-ada\",\"role\":\"user\"}}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(channel.transcript(id).get(0).from().role())
        .as("the bot side cannot pose as the user")
        .isEqualTo("bot");
    assertThat(call("GET", "/nothing", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aBotThatDoesNotAnswerIs502AndTheClientMayRetry() throws Exception {
    bot.stop(0);
    JsonNode c = conversation();
    HttpResponse<String> r =
        call(
            "POST",
            "/v3/directline/conversations/" + c.path("conversationId").asText() + "/activities",
            c.path("token").asText(),
            "{\"type\":\"message\",\"from\":{\"id\":\"ada\"},\"text\":\"hi\"}");
    assertThat(r.statusCode()).isEqualTo(502);
  }

  @Test
  void onlyLoopbackBotsAndPagesOutsideTheApi() {
    assertThatThrownBy(() -> DirectLineChannel.start(URI.create("http://10.0.0.1/api/messages")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DirectLineChannel.start(URI.create("https://127.0.0.1/api/messages")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> channel.botEndpoint(URI.create("http://127.0.0.1.evil.example/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> channel.serve("/v3/directline/conversations", "text/html", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(channel.baseUrl()).startsWith("http://127.0.0.1:");
  }

  @Test
  void servedPagesCarryAContentSecurityPolicyOfThisOriginOnly() throws Exception {
    channel.serve("/", "text/html; charset=utf-8", "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = call("GET", "/", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'self';")
        .doesNotContain("http");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .as("no CORS: other origins cannot read")
        .isEmpty();
  }
}
