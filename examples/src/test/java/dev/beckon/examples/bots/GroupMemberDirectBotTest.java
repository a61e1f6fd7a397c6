package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.testkit.FakeConnector;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 1:1-with-a-group-member example. */
class GroupMemberDirectBotTest {

  private static final String GROUP = "19:meeting_group@thread.v2";

  private static BotHarness dmBot(Path dir) throws Exception {
    return new BotHarness(
        "jdbc:sqlite:" + dir.resolve("dm.db") + "#create",
        h -> new GroupMemberDirectBot(h.host.repository(), h.host.sender(), h.log::add));
  }

  private static ObjectNode groupMessage(BotHarness h, String text) {
    ObjectNode a = h.message("g1", GROUP, "<at>Example Bot</at> " + text);
    a.put("channelId", "msteams");
    ((ObjectNode) a.get("from")).put("id", "29:ada");
    ((ObjectNode) a.get("recipient")).put("id", "28:example-bot");
    ((ObjectNode) a.get("conversation")).put("isGroup", true).put("conversationType", "groupChat");
    a.putObject("channelData").putObject("tenant").put("id", "tenant-1");
    return a;
  }

  @Test
  void dmMeOpensASavedOneOnOneWithTheMemberAndSaysHelloThere(@TempDir Path dir) throws Exception {
    try (BotHarness h = dmBot(dir)) {
      assertThat(h.post(groupMessage(h, "dm me"))).isEqualTo(200);
      assertThat(h.await(GROUP, 1).get(0).text()).isEqualTo("I've sent you a private message Ada.");

      FakeConnector.Request create =
          h.requests().stream()
              .filter(r -> r.method().equals("POST") && r.conversationId() == null)
              .findFirst()
              .orElseThrow();
      JsonNode body = BotHarness.JSON.readTree(create.body());
      assertThat(body.path("isGroup").asBoolean()).isFalse();
      assertThat(body.path("members").get(0).path("id").asText()).isEqualTo("29:ada");
      assertThat(body.path("bot").path("id").asText()).isEqualTo("28:example-bot");
      assertThat(body.path("tenantId").asText())
          .as("tenant taken from channelData")
          .isEqualTo("tenant-1");
      assertThat(body.path("channelData").path("tenant").path("id").asText()).isEqualTo("tenant-1");

      List<StoredReference> stored =
          h.host.repository().stream(ListQuery.channel("msteams")).toList();
      StoredReference personal =
          stored.stream()
              .filter(s -> !s.reference().conversation().id().equals(GROUP))
              .findFirst()
              .orElseThrow();
      assertThat(personal.reference().user().id()).isEqualTo("29:ada");
      assertThat(personal.reference().conversation().isGroup()).isFalse();
      assertThat(h.await(personal.reference().conversation().id(), 1).get(0).text())
          .isEqualTo("Hi Ada — this is the private message you asked for in the group.");
    }
  }

  @Test
  void inAOneOnOneItSaysSoAndCreatesNothing(@TempDir Path dir) throws Exception {
    try (BotHarness h = dmBot(dir)) {
      h.post(h.message("m1", "personal-1", "dm me"));
      assertThat(h.await("personal-1", 1).get(0).text())
          .isEqualTo("We are already talking privately.");
      assertThat(h.requests()).noneMatch(r -> r.conversationId() == null);
    }
  }

  @Test
  void aRefusedCreateIsReportedInTheGroupAndNothingIsSaved(@TempDir Path dir) throws Exception {
    try (BotHarness h = dmBot(dir)) {
      h.channel.failNext(FakeConnector.Fault.error(403, "BotNotInConversationRoster"));
      h.post(groupMessage(h, "dm me"));
      assertThat(h.await(GROUP, 1).get(0).text()).startsWith("I could not message you privately: ");
      assertThat(h.host.repository().stream(ListQuery.channel("msteams")).count())
          .as("only the group")
          .isEqualTo(1);
    }
  }
}
