package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.testkit.FakeConnector;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external-trigger example: a webhook call starts a flow that the user's answer continues. */
class WebhookTriggerBotTest {

  private static final String SECRET = "s3cret-for-the-ci-webhook";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + SECRET);

  private static BotHarness webhookBot(Path dir) throws Exception {
    return new BotHarness(
        "jdbc:sqlite:" + dir.resolve("hooks.db") + "#create",
        h -> {
          WebhookTriggerBot bot =
              new WebhookTriggerBot(h.host.repository(), h.host.sender(), SECRET, h.log::add);
          h.host.route(WebhookTriggerBot.PATH, bot::notify);
          return bot;
        });
  }

  private static String notice(String conversationId, String build) {
    return "{\"channelId\":\"emulator\",\"conversationId\":\""
        + conversationId
        + "\",\"build\":\""
        + build
        + "\"}";
  }

  @Test
  void aWebhookCallStartsAFlowThatTheUsersAnswerContinues(@TempDir Path dir) throws Exception {
    try (BotHarness h = webhookBot(dir)) {
      h.post(h.message("m1", "ci-room", "subscribe me"));
      assertThat(h.await("ci-room", 1).get(0).text())
          .startsWith("Subscribed")
          .contains("\"ci-room\"");

      HttpResponse<String> r = h.post(WebhookTriggerBot.PATH, AUTH, notice("ci-room", "1234"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(r.body()).contains("\"outcome\":\"DELIVERED\"");
      assertThat(h.await("ci-room", 2).get(1).text())
          .isEqualTo("Build 1234 failed. Retry it? (yes / no)");

      h.post(h.message("m2", "ci-room", "Yes"));
      List<Activity> got = h.await("ci-room", 3);
      assertThat(got.get(2).text()).isEqualTo("Retrying build 1234 — I'll tell you how it ends.");

      h.post(h.message("m3", "ci-room", "yes"));
      assertThat(h.await("ci-room", 4).get(3).text())
          .as("the flow ended: a second yes is not an answer")
          .startsWith("Subscribed");
    }
  }

  @Test
  void refusesAWrongSecretABadBodyAndAnUnknownConversation(@TempDir Path dir) throws Exception {
    try (BotHarness h = webhookBot(dir)) {
      h.post(h.message("m1", "ci-room", "subscribe"));
      h.await("ci-room", 1);
      assertThat(h.post(WebhookTriggerBot.PATH, Map.of(), notice("ci-room", "1")).statusCode())
          .isEqualTo(401);
      assertThat(
              h.post(
                      WebhookTriggerBot.PATH,
                      Map.of("Authorization", "Bearer " + SECRET + "x"),
                      notice("ci-room", "1"))
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> bad =
          h.post(WebhookTriggerBot.PATH, AUTH, "{\"channelId\":\"emulator\",\"build\":\"1\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("conversationId");
      assertThat(h.post(WebhookTriggerBot.PATH, AUTH, "not json").statusCode()).isEqualTo(400);
      HttpResponse<String> unknown =
          h.post(WebhookTriggerBot.PATH, AUTH, notice("never-seen", "1"));
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("talk to the bot first");
      assertThat(h.channel.activities("ci-room")).as("nothing was sent").hasSize(1);
    }
  }

  @Test
  void aGoneConversationAnswers502AndRemovesTheReference(@TempDir Path dir) throws Exception {
    try (BotHarness h = webhookBot(dir)) {
      h.post(h.message("m1", "ci-room", "subscribe"));
      h.await("ci-room", 1);
      h.channel.failNext("ci-room", FakeConnector.Fault.error(404, "ConversationNotFound"));
      HttpResponse<String> r = h.post(WebhookTriggerBot.PATH, AUTH, notice("ci-room", "77"));
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("CONVERSATION_GONE");
      assertThat(h.host.repository().find(ReferenceKey.of("emulator", "ci-room"))).isEmpty();
    }
  }

  @Test
  void aWeakSecretIsRefusedAtStart() {
    assertThatThrownBy(
            () ->
                new WebhookTriggerBot(
                    new dev.beckon.store.memory.InMemoryReferenceRepository(),
                    null,
                    "short",
                    l -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BECKON_WEBHOOK_SECRET");
    assertThatThrownBy(
            () ->
                new WebhookTriggerBot(
                    new dev.beckon.store.memory.InMemoryReferenceRepository(), null, null, l -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
