package dev.beckon.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders stand in for the long canonical constructors and give the same values. */
class ActivityBuilderTest {

  private static final ChannelAccount USER = ChannelAccount.of("u-1", "User");
  private static final ChannelAccount BOT = ChannelAccount.of("b-1", "Bot");
  private static final ConversationAccount CONVERSATION =
      ConversationAccount.builder("19:abc@thread.tacv2")
          .name("General")
          .isGroup(true)
          .conversationType("channel")
          .tenantId("t-1")
          .aadObjectId("aad")
          .role("user")
          .extra(Map.of("x", 1))
          .build();

  @Test
  void everyFieldSetOnTheBuilderIsTheCanonicalConstructorsValue() {
    Activity built =
        Activity.builder("message")
            .id("a-1")
            .timestamp("2026-12-01T10:00:00Z")
            .channelId("msteams")
            .serviceUrl("https://smba.trafficmanager.net/amer/")
            .from(USER)
            .recipient(BOT)
            .conversation(CONVERSATION)
            .locale("en-US")
            .text("hi")
            .textFormat("plain")
            .summary("s")
            .inputHint("acceptingInput")
            .attachments(List.of(Map.of("contentType", "text/plain")))
            .entities(List.of(Map.of("type", "mention")))
            .suggestedActions(Map.of("actions", List.of()))
            .channelData(Map.of("n", new BigDecimal("1.50")))
            .replyToId("r-1")
            .extra(Map.of("valueType", "x"))
            .build();
    Activity canonical =
        new Activity(
            "message",
            "a-1",
            "2026-12-01T10:00:00Z",
            "msteams",
            "https://smba.trafficmanager.net/amer/",
            USER,
            BOT,
            CONVERSATION,
            "en-US",
            "hi",
            "plain",
            "s",
            "acceptingInput",
            List.of(Map.of("contentType", "text/plain")),
            List.of(Map.of("type", "mention")),
            Map.of("actions", List.of()),
            Map.of("n", new BigDecimal("1.50")),
            "r-1",
            Map.of("valueType", "x"));
    assertThat(built).isEqualTo(canonical);
    assertThat(
            new ConversationAccount(
                "19:abc@thread.tacv2",
                "General",
                true,
                "channel",
                "t-1",
                "aad",
                "user",
                Map.of("x", 1)))
        .isEqualTo(CONVERSATION);
  }

  @Test
  void aBuilderStartsWithOnlyTheType() {
    assertThat(Activity.builder("message").text("hi").build()).isEqualTo(Activity.message("hi"));
    Activity typing = Activity.builder("typing").build();
    assertThat(typing.attachments()).isEmpty();
    assertThat(typing.entities()).isEmpty();
    assertThat(typing.extra()).isEmpty();
    assertThat(typing.text()).isNull();
    assertThat(ConversationAccount.builder("c").build()).isEqualTo(ConversationAccount.of("c"));
  }

  @Test
  void theCopiesChangeOnlyTheirField() {
    Activity a = Activity.message("hi").withId("a-1").withReplyToId("r-1");
    assertThat(a.id()).isEqualTo("a-1");
    assertThat(a.replyToId()).isEqualTo("r-1");
    assertThat(a.withText("bye").text()).isEqualTo("bye");
    assertThat(a.withText("bye").withText("hi")).isEqualTo(a);
    Activity card = a.withAttachment("application/json", Map.of("k", "v"));
    assertThat(card.attachments()).hasSize(1);
    assertThat(card.withText("hi")).isEqualTo(card);
    ConversationReference ref =
        ConversationReference.builder()
            .conversation(CONVERSATION)
            .channelId("msteams")
            .serviceUrl("https://smba.trafficmanager.net/amer/")
            .user(USER)
            .bot(BOT)
            .locale("de-DE")
            .build();
    Activity sent = a.addressedTo(ref);
    assertThat(sent.from()).isEqualTo(BOT);
    assertThat(sent.recipient()).isEqualTo(USER);
    assertThat(sent.conversation()).isEqualTo(CONVERSATION);
    assertThat(sent.locale()).isEqualTo("de-DE");
    assertThat(sent.replyToId()).isEqualTo("r-1");
    assertThat(sent.text()).isEqualTo("hi");
  }

  @Test
  void theBuilderRefusesWhatTheConstructorRefuses() {
    assertThatThrownBy(() -> Activity.builder(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
    List<Object> notJson = new ArrayList<>();
    notJson.add(new Object());
    assertThatThrownBy(() -> Activity.builder("message").entities(notJson))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entities[0]");
    assertThatThrownBy(() -> Activity.builder("message").channelData(new Object()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelData");
    assertThatThrownBy(() -> ConversationAccount.builder(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conversation.id");
  }
}
