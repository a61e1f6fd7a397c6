package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.Fixtures;
import dev.beckon.reference.ConversationReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceJsonTest {

  private static final ObjectMapper M = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "js/01-emulator-message", "js/02-teams-personal-message",
        "js/03-teams-channel-thread-message", "js/07-directline-conversation-update"
      })
  void jsReferencesRoundTripFieldForField(String name) throws Exception {
    String original = Fixtures.read("conversation-reference/" + name + ".json");
    String written = ReferenceJson.write(ReferenceJson.read(original));
    assertThat(M.readTree(written)).isEqualTo(M.readTree(original));
    // canonical form is a fixed point: byte-exact from then on
    assertThat(ReferenceJson.write(ReferenceJson.read(written))).isEqualTo(written);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "java/01-emulator-message", "java/02-teams-personal-message",
        "java/03-teams-channel-thread-message", "java/07-directline-conversation-update"
      })
  void javaReferencesLoseOnlyTheSpuriousGroup(String name) throws Exception {
    String original = Fixtures.read("conversation-reference/" + name + ".json");
    String written = ReferenceJson.write(ReferenceJson.read(original));
    var expected = (com.fasterxml.jackson.databind.node.ObjectNode) M.readTree(original);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("conversation")).remove("group");
    assertThat(M.readTree(written)).isEqualTo(expected);
  }

  @Test
  void groupAloneIsReadAsIsGroup() {
    ConversationReference r =
        ReferenceJson.read(
            "{\"conversation\":{\"id\":\"c\",\"group\":true},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}");
    assertThat(r.conversation().isGroup()).isTrue();
    assertThat(ReferenceJson.write(r)).contains("\"isGroup\":true").doesNotContain("\"group\"");
  }

  @Test
  void unknownFieldsAreKeptInOrderAtEveryLevel() {
    String json =
        "{\"zeta\":1,\"user\":{\"id\":\"u\",\"properties\":{\"a\":[1,2.50,null]},\"x\":true},"
            + "\"conversation\":{\"id\":\"c\",\"properties\":{}},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\","
            + "\"alpha\":{\"n\":12345678901234567890123}}";
    ConversationReference r = ReferenceJson.read(json);
    assertThat(r.extra()).containsOnlyKeys("zeta", "alpha");
    assertThat(r.user().extra()).containsKeys("properties", "x");
    String out = ReferenceJson.write(r);
    assertThat(out)
        .contains("\"zeta\":1")
        .contains("2.50")
        .contains("12345678901234567890123")
        .contains("\"properties\":{}");
    assertThat(out.indexOf("zeta")).isLessThan(out.indexOf("alpha"));
    assertThat(ReferenceJson.read(out)).isEqualTo(r);
  }

  @Test
  void missingOptionalFieldsAreAbsentNotErrors() {
    ConversationReference r =
        ReferenceJson.read(
            "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}");
    assertThat(r.locale()).isNull();
    assertThat(r.user()).isNull();
    assertThat(r.bot()).isNull();
    assertThat(r.activityId()).isNull();
    assertThat(r.conversation().isGroup()).isNull();
    assertThat(ReferenceJson.write(r))
        .isEqualTo(
            "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}");
  }

  @Test
  void everyFailureNamesTheField() {
    Map<String, String> cases =
        Map.of(
            "{\"conversation\":{\"id\":\"c\"},\"serviceUrl\":\"https://s/\"}", "channelId",
            "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\"}", "serviceUrl",
            "{\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}", "conversation",
            "{\"conversation\":{},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}",
                "conversation.id",
            "{\"conversation\":{\"id\":7},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}",
                "conversation.id",
            "{\"conversation\":{\"id\":\"c\",\"isGroup\":\"yes\"},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}",
                "conversation.isGroup",
            "{\"conversation\":{\"id\":\"c\"},\"user\":{\"id\":[]},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}",
                "user.id",
            "{\"conversation\":{\"id\":\"c\"},\"bot\":\"b\",\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}",
                "bot",
            "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\",\"locale\":5}",
                "locale",
            "[1,2]", "$");
    cases.forEach(
        (json, path) ->
            assertThatThrownBy(() -> ReferenceJson.read(json))
                .as(json)
                .isInstanceOf(MalformedReferenceException.class)
                .satisfies(
                    e ->
                        assertThat(((MalformedReferenceException) e).path())
                            .as(json)
                            .isEqualTo(path))
                .hasMessageContaining(path));
  }

  @Test
  void notJsonIsOneCleanException() {
    for (String bad :
        List.of("", "   ", "{", "{\"a\":}", "nul", "{} {}", "{\"a\":1,\"a\":2}", "\u0000")) {
      assertThatThrownBy(() -> ReferenceJson.read(bad))
          .as(bad)
          .isInstanceOf(MalformedReferenceException.class);
    }
    assertThatThrownBy(() -> ReferenceJson.read((String) null))
        .isInstanceOf(MalformedReferenceException.class);
    assertThatThrownBy(() -> ReferenceJson.read((byte[]) null))
        .isInstanceOf(MalformedReferenceException.class);
  }

  @Test
  void prettyFormIsTheSameReference() {
    ConversationReference r =
        ReferenceJson.read(
            Fixtures.read("conversation-reference/js/03-teams-channel-thread-message.json"));
    assertThat(ReferenceJson.writePretty(r)).contains("\n");
    assertThat(ReferenceJson.read(ReferenceJson.writePretty(r))).isEqualTo(r);
  }
}
