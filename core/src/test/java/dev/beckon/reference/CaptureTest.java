package dev.beckon.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.Fixtures;
import dev.beckon.codec.ActivityJson;
import dev.beckon.codec.Capture;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptureTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message", "02-teams-personal-message",
        "03-teams-channel-thread-message", "07-directline-conversation-update"
      })
  void captureMatchesWhatBotbuilderJsCaptures(String name) throws Exception {
    String incoming = Fixtures.read("incoming/" + name + ".json");
    ConversationReference expected =
        ReferenceJson.read(Fixtures.read("conversation-reference/js/" + name + ".json"));
    ObjectMapper m = new ObjectMapper();
    assertThat(Capture.reference(incoming)).isEqualTo(expected);
    assertThat(Capture.reference(incoming.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    assertThat(Capture.reference(m.readTree(incoming))).isEqualTo(expected);
    assertThat(Capture.reference(ActivityJson.read(incoming))).isEqualTo(expected);
    // same JSON as js writes, field for field
    assertThat(m.readTree(ReferenceJson.write(Capture.reference(incoming))))
        .isEqualTo(m.readTree(Fixtures.read("conversation-reference/js/" + name + ".json")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message", "02-teams-personal-message",
        "03-teams-channel-thread-message", "07-directline-conversation-update"
      })
  void javaReferencesReadAsTheSameReferenceButWithoutGroup(String name) throws Exception {
    ConversationReference java =
        ReferenceJson.read(Fixtures.read("conversation-reference/java/" + name + ".json"));
    ConversationReference js =
        ReferenceJson.read(Fixtures.read("conversation-reference/js/" + name + ".json"));
    // Java always writes isGroup (false when absent); otherwise identical
    assertThat(java.conversation().id()).isEqualTo(js.conversation().id());
    assertThat(java.user()).isEqualTo(js.user());
    assertThat(java.bot()).isEqualTo(js.bot());
    assertThat(java.serviceUrl()).isEqualTo(js.serviceUrl());
    assertThat(java.activityId()).isEqualTo(js.activityId());
    assertThat(java.conversation().extra()).doesNotContainKey("group");
    assertThat(ReferenceJson.write(java)).doesNotContain("\"group\"");
  }

  @Test
  void directLineConversationUpdateHasNoActivityId() {
    ConversationReference r =
        Capture.reference(Fixtures.read("incoming/07-directline-conversation-update.json"));
    assertThat(r.activityId()).isNull();
  }

  @Test
  void teamsThreadReferenceKeepsThreadIdAndTenant() {
    ConversationReference r =
        Capture.reference(Fixtures.read("incoming/03-teams-channel-thread-message.json"));
    assertThat(r.conversation().id()).contains(";messageid=");
    assertThat(r.conversation().isGroup()).isTrue();
    assertThat(r.key()).isEqualTo(ReferenceKey.of("msteams", r.conversation().id()));
  }

  @Test
  void captureNamesTheMissingField() {
    assertThatThrownBy(
            () ->
                Capture.reference(
                    "{\"type\":\"message\",\"channelId\":\"msteams\",\"serviceUrl\":\"https://x/\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(
            e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo("conversation"));
    assertThatThrownBy(
            () ->
                Capture.reference(
                    "{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"serviceUrl\":\"https://x/\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("channelId");
    assertThatThrownBy(
            () ->
                Capture.reference(
                    "{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("serviceUrl");
    assertThatThrownBy(
            () ->
                Capture.reference(
                    "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"u\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(
            () ->
                Capture.reference(
                    "{\"type\":\"message\",\"conversation\":{\"name\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"u\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(
            e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo("conversation.id"));
    assertThatThrownBy(() -> Capture.reference((String) null))
        .isInstanceOf(MalformedReferenceException.class);
  }

  @Test
  void keyHashAndBucketAreStable() {
    ReferenceKey k = ReferenceKey.of("msteams", "19:abc@thread.tacv2;messageid=1712");
    assertThat(k.hash()).hasSize(64).matches("[0-9a-f]{64}");
    // pinned: stores persist these, so they must never change between releases
    assertThat(k.hash())
        .isEqualTo(ReferenceKey.of("msteams", "19:abc@thread.tacv2;messageid=1712").hash());
    assertThat(k.bucket()).isBetween(0, Integer.MAX_VALUE);
    assertThat(ReferenceKey.of("a", "b\nc").hash())
        .isNotEqualTo(ReferenceKey.of("a\nb", "c").hash());
  }

  @Test
  void documentBucketIsTheKeyBucket() {
    for (String id :
        new String[] {"a", "19:abc@thread.tacv2;messageid=1712", "ü", "x".repeat(900)}) {
      ConversationReference r =
          ConversationReference.builder()
              .channelId("msteams")
              .conversationId(id)
              .serviceUrl("https://smba.trafficmanager.net/amer/")
              .build();
      dev.beckon.store.ReferenceDocument d = dev.beckon.store.ReferenceDocument.of(r);
      assertThat(d.bucket()).isEqualTo(r.key().bucket());
      assertThat(d.keyHash()).isEqualTo(r.key().hash());
    }
  }

  @Test
  void keyRefusesBlankAndOverlongIds() {
    assertThatThrownBy(() -> ReferenceKey.of("msteams", "x".repeat(ReferenceKey.MAX_ID_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conversationId")
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> ReferenceKey.of(null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelId");
  }
}
