package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.testkit.FakeConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Teams channel-thread example: posts land in the right thread, later, from the store. */
class TeamsThreadBotTest {

  private static final String CHANNEL = "19:general@thread.tacv2";
  private static final String THREAD = CHANNEL + ";messageid=1712000000001";

  private static BotHarness teamsBot(Path dir) throws Exception {
    return new BotHarness(
        "jdbc:sqlite:" + dir.resolve("teams.db") + "#create",
        h ->
            new TeamsThreadBot(
                h.host.repository(), h.host.sender(), Duration.ofMillis(300), h.log::add));
  }

  /** A Teams channel message mentioning the bot, as Teams delivers it. */
  private static ObjectNode teamsMessage(BotHarness h, String id, String text) {
    ObjectNode a = h.message(id, THREAD, "<at>Example Bot</at> " + text);
    a.put("channelId", "msteams");
    ((ObjectNode) a.get("from")).put("id", "29:ada");
    ((ObjectNode) a.get("recipient")).put("id", "28:example-bot");
    ((ObjectNode) a.get("conversation"))
        .put("isGroup", true)
        .put("conversationType", "channel")
        .put("tenantId", "tenant-1");
    ObjectNode cd = a.putObject("channelData");
    cd.put("teamsChannelId", CHANNEL).put("teamsTeamId", "19:team@thread.tacv2");
    cd.putObject("channel").put("id", CHANNEL);
    cd.putObject("tenant").put("id", "tenant-1");
    return a;
  }

  @Test
  void watchPostsAnUpdateIntoTheExistingThreadFromTheStore(@TempDir Path dir) throws Exception {
    try (BotHarness h = teamsBot(dir)) {
      assertThat(h.post(teamsMessage(h, "1712000000009", "watch"))).isEqualTo(200);
      assertThat(h.host.repository().find(ReferenceKey.of("msteams", THREAD))).isPresent();
      var got = h.await(THREAD, 2);
      assertThat(got.get(0).text()).isEqualTo("Watching this thread: updates will be posted here.");
      assertThat(got.get(1).text()).isEqualTo("Update: the deployment you are watching finished.");
      List<FakeConnector.Request> posts =
          h.requests().stream().filter(r -> THREAD.equals(r.conversationId())).toList();
      assertThat(posts.get(1).rawPath())
          .as("the thread's conversation id routes the post, fully encoded")
          .endsWith(
              "/v3/conversations/19%3Ageneral%40thread.tacv2%3Bmessageid%3D1712000000001/activities");
    }
  }

  @Test
  void newThreadCreatesItInTheChannelSavesItAndPostsIntoItLater(@TempDir Path dir)
      throws Exception {
    try (BotHarness h = teamsBot(dir)) {
      h.post(teamsMessage(h, "1712000000010", "new thread Release 2.0"));
      assertThat(h.await(THREAD, 1).get(0).text()).isEqualTo("Started a new thread: Release 2.0");

      FakeConnector.Request create =
          h.requests().stream()
              .filter(r -> r.method().equals("POST") && r.conversationId() == null)
              .findFirst()
              .orElseThrow();
      JsonNode body = BotHarness.JSON.readTree(create.body());
      assertThat(body.path("isGroup").asBoolean()).isTrue();
      assertThat(body.path("channelData").path("channel").path("id").asText()).isEqualTo(CHANNEL);
      assertThat(body.path("activity").path("text").asText()).isEqualTo("📌 Release 2.0");

      List<StoredReference> stored =
          h.host.repository().stream(ListQuery.channel("msteams")).toList();
      String newThread =
          stored.stream()
              .map(s -> s.reference().conversation().id())
              .filter(id -> !id.equals(THREAD))
              .findFirst()
              .orElseThrow();
      assertThat(h.await(newThread, 1).get(0).text()).isEqualTo("First update on \"Release 2.0\".");
    }
  }

  @Test
  void newThreadOutsideATeamsChannelSaysWhatItNeeds(@TempDir Path dir) throws Exception {
    try (BotHarness h = teamsBot(dir)) {
      h.post(h.message("m1", "emulator-conv", "new thread Anything"));
      assertThat(h.await("emulator-conv", 1).get(0).text())
          .isEqualTo("\"new thread\" needs a Teams channel conversation.");
      assertThat(h.requests()).noneMatch(r -> r.conversationId() == null);
    }
  }
}
