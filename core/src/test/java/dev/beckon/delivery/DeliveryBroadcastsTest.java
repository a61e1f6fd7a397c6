package dev.beckon.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.FakeSender;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the queue kit does not cover: arguments, and an edited page record. */
class DeliveryBroadcastsTest {

  private final TestClock clock = new TestClock();
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock);
  private final InMemoryReferenceRepository references = new InMemoryReferenceRepository();
  private final AtomicInteger sends = new AtomicInteger();
  private final FakeSender sender =
      new FakeSender((to, a) -> FakeSender.delivered("a-" + sends.incrementAndGet()));

  @Test
  void refusesBadArguments() {
    DeliveryBroadcasts b = DeliveryBroadcasts.on(queue);
    Activity m = Activity.message("hi");
    assertThatThrownBy(() -> b.submit("a b", ListQuery.all(), m, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.submit("x".repeat(101), ListQuery.all(), m, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.submit("ok", ListQuery.all(), m, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.submit("ok", ListQuery.all(), m, Segment.MAX_COUNT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.submit("ok", ListQuery.all().withCursor("c1.x"), m, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.submit("ok", ListQuery.all().withSegment(Segment.of(0, 2)), m, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.report("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.status(BroadcastRecords.headKey("ok"))).isEmpty();
  }

  @Test
  void anEditedPageRecordFailsItsSegmentOnlyAndIsReported() {
    for (int i = 0; i < 12; i++) {
      references.save(
          ConversationReference.builder()
              .channelId("msteams")
              .serviceUrl("https://smba.trafficmanager.net/amer/")
              .conversationId("c-" + i)
              .build());
    }
    DeliveryBroadcasts b = DeliveryBroadcasts.on(queue);
    b.submit("edited", ListQuery.all().withPageSize(2), Activity.message("hi"), 2);
    DeliveryWorker w =
        DeliveryWorker.builder(queue, references, sender).name("w").concurrency(1).build();
    // segment 0's first step writes its pages; then its page 0 is edited to name other refs
    w.runOnce();
    // the first page it has not counted yet (its deliveries are pending) is edited
    String page = null;
    for (int s = 0; s < 2 && page == null; s++) {
      BroadcastRecords.Checkpoint c =
          BroadcastRecords.Checkpoint.parse(
              queue.status(BroadcastRecords.segmentKey("edited", s)).orElseThrow().lastOutcome());
      if (c.pages() > c.counted()) {
        page = BroadcastRecords.pageKey("edited", s, c.counted());
      }
    }
    assertThat(page).as("a segment with pages not counted yet").isNotNull();
    String key = page;
    queue.putRaw(
        new QueueRow(
            sha(key),
            key,
            "beckon.broadcast",
            "edited",
            "{\"type\":\"beckon.broadcast.record\",\"v\":1,\"kind\":\"page\",\"broadcast\":"
                + "\"edited\",\"refs\":[[\"msteams\"]],\"unreadable\":0}",
            "CANCELLED",
            0,
            0,
            0,
            0,
            0,
            null,
            0,
            null,
            null));
    DeliveryBroadcastReport r = null;
    for (int i = 0; i < 200 && (r == null || !r.finished()); i++) {
      if (w.runOnce() == 0) {
        clock.advance(Duration.ofSeconds(2));
        r = b.report("edited").orElseThrow();
      }
    }
    assertThat(r).isNotNull();
    assertThat(r.finished()).isTrue();
    assertThat(r.segmentsFailed()).isEqualTo(1);
    assertThat(r.segmentsDone()).isEqualTo(1);
    assertThat(r.listed()).isEqualTo(r.delivered());
    assertThat(sends.get()).isLessThanOrEqualTo(12);
  }

  private static String sha(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
