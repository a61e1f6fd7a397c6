package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.reference.ReferenceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed article's bot: answer now, the promise on the durable queue, then speak first. */
class NotifyWhenDoneBotTest {

  private static final AtomicReference<DeliveryQueue> QUEUE = new AtomicReference<>();

  private static BotHarness bot(Path dir, Duration job) throws Exception {
    return new BotHarness(
        "jdbc:sqlite:" + dir.resolve("notify.db") + "#create",
        h -> {
          BotHost.OpenedQueue q = h.host.openQueue();
          assertThat(q.durable()).isTrue();
          assertThat(q.description())
              .startsWith("jdbc:sqlite:")
              .endsWith("table beckon_deliveries");
          QUEUE.set(q.queue());
          NotifyWhenDoneBot b =
              new NotifyWhenDoneBot(
                  h.host.repository(), h.host.sender(), q.queue(), job, h.log::add);
          h.host.onClose(b);
          return (activity, reference, outcome) -> b.onActivity(activity, reference);
        });
  }

  private static DeliveryStatus awaitFinal(String deliveryKey) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<DeliveryStatus> s = QUEUE.get().status(deliveryKey);
      if (s.isPresent() && s.get().state() != DeliveryState.PENDING) {
        return s.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "delivery " + deliveryKey + " still " + QUEUE.get().status(deliveryKey));
  }

  @Test
  void answersAtOnceThenTheQueueTellsWhenTheReportIsDone(@TempDir Path dir) throws Exception {
    try (BotHarness h = bot(dir, Duration.ofMillis(300))) {
      h.post(h.message("m1", "report-conv", "please prepare my report"));
      List<Activity> got = h.await("report-conv", 2);
      assertThat(got)
          .extracting(Activity::text)
          .containsExactly("Gotcha — I'll let you know when it's ready", "Your report is ready");
      String key = NotifyWhenDoneBot.deliveryKey(ReferenceKey.of("emulator", "report-conv"), "m1");
      assertThat(h.log).anyMatch(l -> l.contains("scheduled as delivery " + key));
      DeliveryStatus s = awaitFinal(key);
      assertThat(s.state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(s.activityId()).isNotBlank();
    }
  }

  @Test
  void theSameRequestRedeliveredSchedulesNothingTwice(@TempDir Path dir) throws Exception {
    try (BotHarness h = bot(dir, Duration.ofMillis(300))) {
      h.post(h.message("m1", "again", "prepare my report"));
      h.post(h.message("m1", "again", "prepare my report"));
      h.await("again", 2);
      String key = NotifyWhenDoneBot.deliveryKey(ReferenceKey.of("emulator", "again"), "m1");
      assertThat(awaitFinal(key).state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(h.log).anyMatch(l -> l.startsWith("request seen before"));
      assertThat(h.channel.activities("again"))
          .extracting(Activity::text)
          .containsExactly("Gotcha — I'll let you know when it's ready", "Your report is ready");
    }
  }

  @Test
  void aConversationGoneFromTheStoreBeforeTheReportIsDoneEndsGone(@TempDir Path dir)
      throws Exception {
    try (BotHarness h = bot(dir, Duration.ofSeconds(1))) {
      h.post(h.message("m1", "report-conv", "report please"));
      h.await("report-conv", 1);
      h.host.repository().delete(ReferenceKey.of("emulator", "report-conv"));
      String key = NotifyWhenDoneBot.deliveryKey(ReferenceKey.of("emulator", "report-conv"), "m1");
      assertThat(awaitFinal(key).state()).isEqualTo(DeliveryState.GONE);
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

  @Test
  void deliveryKeysDependOnTheConversationAndTheActivity() {
    ReferenceKey a = ReferenceKey.of("webchat", "c1");
    assertThat(NotifyWhenDoneBot.deliveryKey(a, "m1"))
        .isEqualTo(NotifyWhenDoneBot.deliveryKey(a, "m1"))
        .matches("report-[0-9a-f]{32}")
        .isNotEqualTo(NotifyWhenDoneBot.deliveryKey(a, "m2"))
        .isNotEqualTo(NotifyWhenDoneBot.deliveryKey(ReferenceKey.of("webchat", "c2"), "m1"));
    assertThat(NotifyWhenDoneBot.deliveryKey(a, null))
        .isNotEqualTo(NotifyWhenDoneBot.deliveryKey(a, null));
  }
}
