package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/wire-comparison.md, checked: Beckon's request (captured by the fake connector) against what
 * the Agents SDK for JS 1.8.1 and Teams SDK v2 2.1.0 sent for the same conversation
 * (fixtures/agents-js/…/http-capture), field by field. Every difference the document lists is
 * asserted, and no other difference is allowed.
 */
class AgentsWireComparisonTest {

  static final ObjectMapper M = new ObjectMapper();

  /** Top-level body fields whose values differ (or that only one side sends). */
  static Set<String> differingFields(JsonNode sdk, JsonNode beckon) {
    Set<String> names = new TreeSet<>();
    sdk.fieldNames().forEachRemaining(names::add);
    beckon.fieldNames().forEachRemaining(names::add);
    Set<String> differ = new TreeSet<>();
    for (String n : names) {
      if (!java.util.Objects.equals(sdk.get(n), beckon.get(n))) {
        differ.add(n);
      }
    }
    return differ;
  }

  static Map<String, String> headers(JsonNode capture) {
    Map<String, String> h = new LinkedHashMap<>();
    for (JsonNode pair : capture.get("headers")) {
      h.put(pair.get(0).asText().toLowerCase(java.util.Locale.ROOT), pair.get(1).asText());
    }
    return h;
  }

  static ConversationReference at(ConversationReference ref, FakeConnector c, String path) {
    return ref.withServiceUrl(c.baseUrl() + path);
  }

  static String pathOf(String serviceUrl) {
    return java.net.URI.create(serviceUrl).getRawPath();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message",
        "02-teams-personal-message",
        "03-teams-channel-thread-message",
        "07-directline-conversation-update"
      })
  void agentsSdkProactiveSend(String name) throws Exception {
    JsonNode capture =
        M.readTree(WireConformanceTest.read("agents-js/http-capture/" + name + ".json"));
    ConversationReference stored =
        ReferenceJson.read(
            WireConformanceTest.read("agents-js/conversation-reference/" + name + ".json"));
    JsonNode sdkBody = capture.get("body");
    try (FakeConnector c = FakeConnector.start();
        BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
      ConversationReference ref = at(stored, c, pathOf(stored.serviceUrl()));
      // 1. Beckon's proactive send: a new message
      assertThat(sender.send(ref, Activity.message("Hello")).delivered()).isTrue();
      // 2. Beckon asked to do what the Agents SDK does: reply to the stored activity id
      String replyTo = sdkBody.get("replyToId").asText();
      assertThat(sender.reply(ref, replyTo, Activity.message("Hello")).delivered()).isTrue();
      FakeConnector.Request send = c.requests().get(0);
      FakeConnector.Request reply = c.requests().get(1);

      // route: the SDK replies to {activityId} (a random id when the reference has none, 07);
      // Beckon's send posts …/activities; both leave the rest of the path alike, except that Beckon
      // percent-encodes the conversation id and the SDK puts it in raw
      String sdkPath = capture.get("path").asText();
      String sdkBase = sdkPath.substring(0, sdkPath.lastIndexOf("/activities/"));
      assertThat(URLDecoder.decode(send.rawPath(), StandardCharsets.UTF_8).replace(' ', '+'))
          .isEqualTo(URLDecoder.decode(sdkBase, StandardCharsets.UTF_8) + "/activities");
      assertThat(send.rawPath()).isEqualTo(encodedBase(stored, sdkBase) + "/activities");
      assertThat(reply.rawPath())
          .isEqualTo(encodedBase(stored, sdkBase) + "/activities/" + encode(replyTo));
      if (stored.activityId() != null) {
        assertThat(replyTo)
            .as("the Agents SDK replies to the stored activity id")
            .isEqualTo(stored.activityId());
      }
      assertThat(capture.get("method").asText()).isEqualTo(send.method()).isEqualTo(reply.method());

      // body: the send lacks only replyToId; the reply has every field, equal
      JsonNode beckonSend = M.readTree(send.body());
      JsonNode beckonReply = M.readTree(reply.body());
      assertThat(differingFields(sdkBody, beckonSend))
          .isEqualTo(Set.of("inputHint", "replyToId", "serviceUrl"));
      assertThat(differingFields(sdkBody, beckonReply))
          .isEqualTo(Set.of("inputHint", "serviceUrl"));
      assertThat(sdkBody.get("inputHint").asText()).isEqualTo("acceptingInput");
      assertThat(beckonSend.has("inputHint"))
          .as("Beckon sends no inputHint unless asked")
          .isFalse();
      assertThat(pathOf(beckonSend.get("serviceUrl").asText()))
          .as("serviceUrl: only the loopback port differs")
          .isEqualTo(pathOf(sdkBody.get("serviceUrl").asText()));

      // headers the SDKs set themselves (the transports' own ones are not compared)
      Map<String, String> sdkHeaders = headers(capture);
      assertThat(sdkHeaders.get("content-type")).isEqualTo("application/json");
      assertThat(send.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
      assertThat(sdkHeaders).doesNotContainKey("x-ms-conversation-id");
      assertThat(send.header("x-ms-conversation-id")).isNull();
      assertThat(reply.header("x-ms-conversation-id")).isEqualTo(stored.conversation().id());
      assertThat(sdkHeaders.get("user-agent")).startsWith("agents-sdk-js/");
      assertThat(send.header("User-Agent")).startsWith("Beckon/");
      assertThat(sdkHeaders).doesNotContainKey("authorization");
      assertThat(send.header("Authorization")).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"02-teams-personal-message", "03-teams-channel-thread-message"})
  void teamsSdkV2Send(String name) throws Exception {
    JsonNode capture =
        M.readTree(WireConformanceTest.read("agents-js/teams-js/http-capture/" + name + ".json"));
    ConversationReference stored =
        ReferenceJson.read(
            WireConformanceTest.read("agents-js/conversation-reference/" + name + ".json"));
    JsonNode sdkBody = capture.get("body");
    try (FakeConnector c = FakeConnector.start();
        BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
      ConversationReference ref = at(stored, c, pathOf(capture.get("appServiceUrl").asText()));
      assertThat(sender.send(ref, Activity.message("Hello")).delivered()).isTrue();
      FakeConnector.Request send = c.requests().get(0);
      String sdkPath = capture.get("path").asText();
      assertThat(sdkPath).endsWith("/activities");
      assertThat(send.rawPath())
          .isEqualTo(
              encodedBase(stored, sdkPath.substring(0, sdkPath.lastIndexOf("/activities")))
                  + "/activities");
      JsonNode beckon = M.readTree(send.body());
      // the Teams SDK's minimal body: type, text, from, conversation{id}
      assertThat(beckon.get("type")).isEqualTo(sdkBody.get("type"));
      assertThat(beckon.get("text")).isEqualTo(sdkBody.get("text"));
      assertThat(beckon.get("conversation").get("id"))
          .isEqualTo(sdkBody.get("conversation").get("id"));
      assertThat(differingFields(sdkBody, beckon))
          .isEqualTo(
              Set.of("channelId", "conversation", "from", "locale", "recipient", "serviceUrl"));
      assertThat(sdkBody.get("conversation").size()).isEqualTo(1);
      // from: the Teams SDK sends the bare app id with role bot; Beckon the stored bot account
      assertThat(sdkBody.get("from").get("id").asText()).doesNotStartWith("28:");
      assertThat(beckon.get("from"))
          .isEqualTo(
              M.readTree(
                      WireConformanceTest.read(
                          "agents-js/conversation-reference/" + name + ".json"))
                  .get("agent"));
      Map<String, String> sdkHeaders = headers(capture);
      assertThat(sdkHeaders.get("content-type")).isEqualTo("application/json");
      assertThat(sdkHeaders.get("user-agent")).startsWith("teams.ts");
      assertThat(sdkHeaders.get("authorization")).startsWith("Bearer ");
    }
  }

  /** The SDK's path prefix with the conversation id segment percent-encoded as Beckon does. */
  static String encodedBase(ConversationReference ref, String sdkBase) {
    String raw = "/v3/conversations/";
    int at = sdkBase.indexOf(raw);
    return sdkBase.substring(0, at + raw.length()) + encode(ref.conversation().id());
  }

  static String encode(String segment) {
    StringBuilder b = new StringBuilder();
    for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
      int ch = x & 0xff;
      if ((ch >= 'A' && ch <= 'Z')
          || (ch >= 'a' && ch <= 'z')
          || (ch >= '0' && ch <= '9')
          || ch == '-'
          || ch == '.'
          || ch == '_'
          || ch == '~') {
        b.append((char) ch);
      } else {
        b.append('%').append(String.format(java.util.Locale.ROOT, "%02X", ch));
      }
    }
    return b.toString();
  }
}
