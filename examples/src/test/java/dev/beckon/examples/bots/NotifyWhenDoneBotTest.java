package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed article's bot: answer now, background task, a scheduled check, then speak first. */
class NotifyWhenDoneBotTest {

  private static BotHarness bot(Path dir, Duration job) throws Exception {
    return new BotHarness(
        "jdbc:sqlite:" + dir.resolve("notify.db") + "#create",
        h -> {
          NotifyWhenDoneBot b =
              new NotifyWhenDoneBot(h.host.repository(), h.host.sender(), job, h.log::add);
          return (activity, reference, outcome) -> b.onActivity(activity, reference);
        });
  }

  @Test
  void answersAtOnceThenTellsWhenTheTaskIsDone(@TempDir Path dir) throws Exception {
    try (BotHarness h = bot(dir, Duration.ofMillis(300))) {
      h.post(h.message("m1", "report-conv", "please prepare my report"));
      List<Activity> got = h.await("report-conv", 2);
      assertThat(got)
          .extracting(Activity::text)
          .containsExactly("Gotcha — I'll let you know when it's ready", "Your report is ready");
      assertThat(h.log).anyMatch(l -> l.startsWith("job done; proactive message DELIVERED"));
    }
  }

  @Test
  void aConversationGoneFromTheStoreBeforeTheTaskEndsIsNotMessaged(@TempDir Path dir)
      throws Exception {
    try (BotHarness h = bot(dir, Duration.ofSeconds(2))) {
      h.post(h.message("m1", "report-conv", "report please"));
      h.await("report-conv", 1);
      h.host.repository().delete(ReferenceKey.of("emulator", "report-conv"));
      assertThat(h.awaitLog(l -> l.startsWith("job done"))).contains("nobody to tell");
      assertThat(h.channel.activities("report-conv")).hasSize(1);
    }
  }

  @Test
  void anythingElseGetsTheHint(@TempDir Path dir) throws Exception {
    try (BotHarness h = bot(dir, Duration.ofMillis(100))) {
      h.post(h.message("m1", "other", "hello"));
      assertThat(h.await("other", 1).get(0).text()).startsWith("Ask me to \"prepare my report\"");
      assertThat(h.log).isEmpty();
    }
  }
}
