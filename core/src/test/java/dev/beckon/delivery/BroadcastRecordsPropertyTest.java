package dev.beckon.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.BroadcastRecords.Checkpoint;
import dev.beckon.delivery.BroadcastRecords.PageRecord;
import dev.beckon.delivery.BroadcastRecords.Spec;
import dev.beckon.delivery.BroadcastRecords.Tally;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A broadcast's records (head, segment task, page, report, checkpoint) are read back from a store
 * and are hostile: whatever they hold, reading raises only IllegalArgumentException (checkpoints:
 * never), and a round trip gives back what was written.
 */
class BroadcastRecordsPropertyTest {

  @Provide
  Arbitrary<Object> value() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(
            (Object) "", "head", "page", "segment", "report", 1, 0, -1, List.of(), Map.of()),
        Arbitraries.strings().ofMaxLength(10).list().ofMaxSize(3).map(l -> (Object) List.of(l, l)));
  }

  @Provide
  Arbitrary<String> field() {
    return Arbitraries.of(
        "v",
        "kind",
        "broadcast",
        "segment",
        "segments",
        "channel",
        "tenant",
        "pageSize",
        "message",
        "refs",
        "unreadable",
        "next",
        "listed",
        "delivered",
        "segmentsFailed");
  }

  @Property(tries = 400)
  void hostileRecordsRaiseOnlyIllegalArgument(
      @ForAll("field") String f1,
      @ForAll("value") Object v1,
      @ForAll("field") String f2,
      @ForAll("value") Object v2,
      @ForAll boolean segmentType) {
    Spec spec = new Spec("b", 2, "msteams", null, 10, Activity.message("hi"));
    Map<String, Object> m = new HashMap<>(spec.toSegment(1).extra());
    m.put(f1, v1);
    m.put(f2, v2);
    Activity a =
        Activity.builder(segmentType ? BroadcastRecords.SEGMENT_TYPE : BroadcastRecords.RECORD_TYPE)
            .extra(m)
            .build();
    // through JSON, as a store gives it back
    Activity stored = ActivityJson.read(ActivityJson.write(a));
    for (Runnable read :
        List.<Runnable>of(
            () -> BroadcastRecords.segment(stored),
            () -> BroadcastRecords.head(stored),
            () -> BroadcastRecords.page(stored, "b"),
            () -> BroadcastRecords.report(stored, "b"))) {
      try {
        read.run();
      } catch (IllegalArgumentException expected) {
        // the one documented failure
      }
    }
  }

  @Property(tries = 300)
  void checkpointsNeverRaise(@ForAll String text) {
    Checkpoint c = Checkpoint.parse(text);
    assertThat(c.counted()).isLessThanOrEqualTo(c.pages());
    assertThat(c.tally().accounted()).isLessThanOrEqualTo(c.tally().listed());
  }

  @Example
  void roundTrips() {
    Spec spec = new Spec("b-1", 3, "msteams", "t1", 50, Activity.message("hello"));
    assertThat(BroadcastRecords.segment(json(spec.toSegment(2))))
        .isEqualTo(new BroadcastRecords.SegmentTask(spec, 2));
    assertThat(BroadcastRecords.head(json(spec.toHead()))).isEqualTo(spec);
    PageRecord p =
        new PageRecord(List.of(ReferenceKey.of("msteams", "19:a@thread;x=1")), 2, "c1.abc");
    assertThat(BroadcastRecords.page(json(p.toActivity("b-1")), "b-1")).isEqualTo(p);
    assertThatThrownBy(() -> BroadcastRecords.page(json(p.toActivity("b-1")), "other"))
        .isInstanceOf(IllegalArgumentException.class);
    Checkpoint c = new Checkpoint(7, 3, new Tally(70, 20, 2, 1, 1, 1, 1, 2, 1), false);
    assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
    assertThat(c.text().length()).isLessThan(500);
    DeliveryBroadcastReport r =
        new DeliveryBroadcastReport("b-1", 3, 3, 0, 10, 0, 5, 1, 1, 1, 1, 0, 1, 0);
    assertThat(BroadcastRecords.report(json(BroadcastRecords.toActivity(r)), "b-1")).isEqualTo(r);
  }

  @Example
  void aCheckpointThatDoesNotAddUpIsTheStart() {
    assertThat(Checkpoint.parse("segment running p=1 c=2 l=0 d=0 g=0 f=0 u=0 x=0 k=0 r=0 m=0"))
        .isEqualTo(Checkpoint.START);
    assertThat(Checkpoint.parse("segment done p=1 c=1 l=1 d=5 g=0 f=0 u=0 x=0 k=0 r=0 m=0"))
        .isEqualTo(Checkpoint.START);
  }

  @Example
  void anUnreadableHeadRaisesTheDocumentedStoreException() {
    TestClock clock = new TestClock();
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock);
    String key = BroadcastRecords.headKey("x");
    queue.putRaw(
        new QueueRow(
            sha(key),
            key,
            "beckon.broadcast",
            "x",
            "{\"type\":\"beckon.broadcast.record\",\"v\":1,\"kind\":\"head\"}",
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
    assertThatThrownBy(() -> DeliveryBroadcasts.on(queue).report("x"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("head record");
    assertThatThrownBy(
            () ->
                DeliveryBroadcasts.on(queue)
                    .submit("x", dev.beckon.store.ListQuery.all(), Activity.message("m"), 1))
        .isInstanceOf(StoreException.class);
  }

  private static Activity json(Activity a) {
    return ActivityJson.read(ActivityJson.write(a));
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
