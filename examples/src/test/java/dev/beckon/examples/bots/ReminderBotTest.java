package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.testkit.FakeConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reminder example on real stores chosen by URI (SQLite file, Redis), over real HTTP. */
class ReminderBotTest {

  @TempDir static Path dir;

  static Stream<String> stores() {
    String redis =
        "redis://"
            + System.getProperty("beckon.redis.host", "127.0.0.1")
            + ":"
            + System.getProperty("beckon.redis.port", "6379")
            + "/reminder-test-"
            + UUID.randomUUID();
    return Stream.of(
        "jdbc:sqlite:" + dir.resolve("reminders-" + UUID.randomUUID() + ".db") + "#create", redis);
  }

  private static BotHarness reminderBot(String store) throws Exception {
    return new BotHarness(
        store, h -> new ReminderBot(h.host.repository(), h.host.sender(), h.log::add));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void confirmsThenRemindsFromTheStoredReference(String store) throws Exception {
    try (BotHarness h = reminderBot(store)) {
      assertThat(h.post(h.message("m1", "conv-1", "Remind me in 1 second to Stretch")))
          .isEqualTo(200);
      assertThat(h.host.repository().find(ReferenceKey.of("emulator", "conv-1")))
          .as("captured before the bot ran")
          .isPresent();

      List<Activity> got = h.await("conv-1", 2);
      assertThat(got.get(0).text()).isEqualTo("OK — in 1 second I'll remind you to Stretch.");
      assertThat(got.get(1).text()).isEqualTo("⏰ Reminder: Stretch");
      List<FakeConnector.Request> posts =
          h.requests().stream().filter(r -> "conv-1".equals(r.conversationId())).toList();
      assertThat(posts.get(0).activityId())
          .as("the confirmation replies to the message")
          .isEqualTo("m1");
      assertThat(posts.get(1).activityId()).as("the reminder is a new message").isNull();
    }
  }

  @Test
  void aReminderForAConversationNoLongerStoredIsDropped() throws Exception {
    try (BotHarness h = reminderBot(stores().findFirst().orElseThrow())) {
      h.post(h.message("m1", "conv-2", "remind me in 3 s to drink water"));
      h.await("conv-2", 1);
      assertThat(h.host.repository().delete(ReferenceKey.of("emulator", "conv-2"))).isTrue();
      assertThat(h.awaitLog(l -> l.startsWith("reminder dropped")))
          .contains("no longer in the store");
      assertThat(h.channel.activities("conv-2")).hasSize(1);
    }
  }

  @Test
  void aGoneConversationDeletesTheStaleReference() throws Exception {
    try (BotHarness h = reminderBot(stores().findFirst().orElseThrow())) {
      h.post(h.message("m1", "conv-3", "remind me in 3 seconds to leave"));
      h.await("conv-3", 1);
      h.channel.failNext("conv-3", FakeConnector.Fault.error(403, "ConversationBlockedByUser"));
      assertThat(h.awaitLog(l -> l.startsWith("reminder dropped")))
          .contains("ConversationBlockedByUser");
      assertThat(h.host.repository().find(ReferenceKey.of("emulator", "conv-3"))).isEmpty();
    }
  }

  @Test
  void anythingElseGetsTheHelpAndNothingIsScheduled() throws Exception {
    try (BotHarness h = reminderBot(stores().findFirst().orElseThrow())) {
      h.post(h.message("m1", "conv-4", "hello"));
      h.post(h.message("m2", "conv-4", "remind me in 2 hours"));
      h.post(h.message("m3", "conv-4", "remind me in 25 hours to sleep"));
      List<Activity> got = h.await("conv-4", 3);
      assertThat(got.get(0).text()).startsWith("Tell me \"remind me in 10 minutes");
      assertThat(got.get(1).text()).startsWith("Tell me");
      assertThat(got.get(2).text())
          .isEqualTo("I can remind you from 1 second up to 24 hours ahead.");
      assertThat(h.log).isEmpty();
    }
  }

  @Test
  void parsesUnitsAndWhatToRemindOf() {
    assertThat(ReminderBot.parse("remind me in 10 minutes to stretch"))
        .contains(new ReminderBot.Reminder(Duration.ofMinutes(10), "stretch"));
    assertThat(ReminderBot.parse("Remind me in 2h call Bob"))
        .contains(new ReminderBot.Reminder(Duration.ofHours(2), "call Bob"));
    assertThat(ReminderBot.parse("remind me in 30 secs to check the oven"))
        .contains(new ReminderBot.Reminder(Duration.ofSeconds(30), "check the oven"));
    assertThat(ReminderBot.parse("remind me tomorrow")).isEmpty();
    assertThat(ReminderBot.parse(null)).isEmpty();
    assertThat(ReminderBot.parse("remind me in 10 lightyears to stretch")).isEmpty();
  }
}
