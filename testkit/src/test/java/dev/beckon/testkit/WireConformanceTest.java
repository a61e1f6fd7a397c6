package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every reference the official SDKs captured, the "Hello" request Beckon sends carries the
 * path, headers and body fields botbuilder-js's CloudAdapter sent (fixtures/http-capture), minus
 * the SDKs' known defects: Beckon posts a new message to {@code …/activities} instead of replying
 * to a random continuation id, and sends no {@code replyToId}.
 */
class WireConformanceTest {

  private static final ObjectMapper M = new ObjectMapper();

  static String read(String path) throws Exception {
    try (InputStream in = WireConformanceTest.class.getResourceAsStream("/fixtures/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message",
        "02-teams-personal-message",
        "03-teams-channel-thread-message",
        "07-directline-conversation-update"
      })
  void helloMatchesWhatTheOfficialSdkSends(String name) throws Exception {
    JsonNode capture = M.readTree(read("http-capture/js-cloudadapter/" + name + ".json"));
    for (String sdk : new String[] {"js", "java"}) {
      ConversationReference ref = SampleReferences.fixture(sdk + "-" + name);
      try (FakeConnector connector = FakeConnector.start();
          BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
        String path = URI.create(ref.serviceUrl()).getRawPath();
        ConversationReference local =
            ref.withServiceUrl(connector.baseUrl() + (path == null ? "" : path));
        SendOutcome o = sender.send(local, Activity.message("Hello"));
        assertThat(o.delivered()).as(sdk + " " + name + ": " + o).isTrue();
        FakeConnector.Request r = connector.requests().get(0);

        String expectedPath = capture.get("path").asText();
        int act = expectedPath.indexOf("/activities");
        assertThat(r.rawPath())
            .as(sdk + " " + name + " path")
            .isEqualTo(expectedPath.substring(0, act + "/activities".length()));
        assertThat(r.method()).isEqualTo(capture.get("method").asText());
        String contentType = null;
        for (JsonNode h : capture.get("headers")) {
          if (h.get(0).asText().equalsIgnoreCase("Content-Type")) {
            contentType = h.get(1).asText();
          }
        }
        assertThat(r.header("Content-Type")).isEqualTo(contentType);

        JsonNode expected = capture.get("body");
        JsonNode actual = M.readTree(r.body());
        for (String field :
            new String[] {"type", "channelId", "from", "recipient", "locale", "text"}) {
          assertThat(actual.get(field))
              .as(sdk + " " + name + " body." + field)
              .isEqualTo(expected.get(field));
        }
        // a reference stored by botbuilder-java carries isGroup:false; botbuilder-java then sends
        // it too
        // (with its defects, the spurious "group" and empty "properties", which Beckon does not
        // copy)
        JsonNode conversation =
            sdk.equals("js")
                ? expected.get("conversation")
                : ((com.fasterxml.jackson.databind.node.ObjectNode)
                        M.readTree(read("http-capture/java-botframeworkadapter/" + name + ".json"))
                            .get("body")
                            .get("conversation"))
                    .without(java.util.List.of("group", "properties"));
        assertThat(actual.get("conversation"))
            .as(sdk + " " + name + " body.conversation")
            .isEqualTo(conversation);
        assertThat(URI.create(actual.get("serviceUrl").asText()).getPath())
            .isEqualTo(URI.create(expected.get("serviceUrl").asText()).getPath());
        assertThat(actual.has("replyToId")).as("a proactive send is not a reply").isFalse();
        assertThat(actual.path("conversation").has("group"))
            .as("botbuilder-java's spurious group")
            .isFalse();
        assertThat(actual.has("properties")).isFalse();
      }
    }
  }
}
