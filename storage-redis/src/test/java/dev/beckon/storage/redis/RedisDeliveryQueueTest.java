package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What the Redis queue adds to the contract: its keys, delivery counts, dead letters, hostile
 * entries.
 */
class RedisDeliveryQueueTest {

  static final ReferenceKey TO = ReferenceKey.of("msteams", "19:abc@thread.tacv2");
  static final Duration LEASE = Duration.ofMinutes(1);

  private final UnifiedJedis single = RedisTopology.SINGLE.client();
  private final List<String> tags = new ArrayList<>();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));

  private RedisDeliveryQueue queue(UnifiedJedis client) {
    RedisDeliveryQueue q =
        RedisDeliveryQueue.builder(client)
            .keyPrefix("beckon-qt-" + UUID.randomUUID().toString().substring(0, 12))
            .clock(clock)
            .build();
    tags.add(q.hashTag());
    return q;
  }

  @AfterEach
  void dropKeys() {
    for (String t : tags) {
      RedisTopology.deleteTag(single, t);
    }
  }

  @Test
  void everyKeyOfAQueueIsInOneClusterSlot() {
    UnifiedJedis cluster = RedisTopology.CLUSTER.client();
    RedisDeliveryQueue q = queue(cluster);
    q.schedule(TO, Activity.message("a"), clock.instant(), "a");
    Delivery d = q.claim("w", 1, LEASE).get(0);
    q.complete(d, DeliveryState.DEAD, 10, "gave up", null);
    List<String> keys =
        List.of(
            q.deliveryKey(RedisDeliveryQueueContractTest.hashOf("a")),
            q.dueKey(),
            q.streamKey(),
            q.leasesKey(),
            q.deadLetterKey(),
            q.pendingKey(),
            q.deadKeysKey(),
            q.hashTag() + ":done");
    int slot = JedisClusterCRC16.getSlot(keys.get(0));
    for (String k : keys) {
      assertThat(k).startsWith(q.hashTag());
      assertThat(JedisClusterCRC16.getSlot(k)).as(k).isEqualTo(slot);
    }
    assertThat(cluster.exists(q.deadLetterKey())).isTrue();
    RedisTopology.deleteTag(cluster, q.hashTag());
    tags.remove(q.hashTag());
  }

  @Test
  void countsFollowCancelRetryAndPurgeAndHealAMissingHash() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("a"), clock.instant().minusSeconds(1), "a");
    q.schedule(TO, Activity.message("b"), clock.instant(), "b");
    Delivery a = q.claim("w", 1, LEASE).get(0); // the oldest
    assertThat(a.deliveryKey()).isEqualTo("a");
    q.complete(a, DeliveryState.DEAD, 10, "gave up", null);
    assertThat(q.counts()).contains(new DeliveryCounts(1, 1, Duration.ZERO));
    assertThat(q.retry("a", clock.instant())).isTrue(); // DEAD -> PENDING
    assertThat(q.counts()).contains(new DeliveryCounts(2, 0, Duration.ZERO));
    assertThat(q.cancel("b")).isTrue();
    q.complete(q.claim("w", 1, LEASE).get(0), DeliveryState.DEAD, 10, "gave up", null);
    assertThat(q.counts()).contains(new DeliveryCounts(0, 1, Duration.ZERO));
    clock.advance(Duration.ofSeconds(1));
    assertThat(q.purge(clock.instant())).isEqualTo(2);
    assertThat(q.counts()).contains(new DeliveryCounts(0, 0, Duration.ZERO));
    // a hash deleted by hand: its pending member goes with the next claim
    q.schedule(TO, Activity.message("c"), clock.instant(), "c");
    single.del(q.deliveryKey(RedisDeliveryQueueContractTest.hashOf("c")));
    assertThat(q.claim("w", 1, LEASE)).isEmpty();
    assertThat(q.counts()).contains(new DeliveryCounts(0, 0, Duration.ZERO));
  }

  @Test
  void deadDeliveriesGoToTheDeadLetterStream() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("a"), clock.instant(), "a");
    q.schedule(TO, Activity.message("b"), clock.instant(), "b");
    List<Delivery> c = q.claim("w", 2, LEASE);
    q.complete(c.get(0), DeliveryState.DEAD, 10, "THROTTLED 429: attempts used up", null);
    q.complete(c.get(1), DeliveryState.DELIVERED, 1, "ok", "x");
    var dead = single.xrange(q.deadLetterKey(), (StreamEntryID) null, (StreamEntryID) null);
    assertThat(dead).hasSize(1);
    Map<String, String> f = dead.get(0).getFields();
    assertThat(f.get("k")).isEqualTo(c.get(0).deliveryKey());
    assertThat(f.get("o")).isEqualTo("THROTTLED 429: attempts used up");
    assertThat(single.xlen(q.streamKey())).as("settled entries are deleted").isZero();
    assertThat(single.zcard(q.leasesKey())).isZero();
  }

  @Test
  void unsettledHandOutsCountAsAttempts() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("a"), clock.instant(), "a");
    Delivery first = q.claim("w", 1, LEASE).get(0);
    assertThat(first.attempts()).isZero();
    clock.advance(LEASE);
    Delivery second = q.claim("w", 1, LEASE).get(0);
    assertThat(second.interrupted()).isTrue();
    assertThat(second.attempts()).as("the worker adds the interrupted one").isZero();
    clock.advance(LEASE);
    Delivery third = q.claim("w", 1, LEASE).get(0);
    assertThat(third.interrupted()).isTrue();
    assertThat(third.attempts()).as("XPENDING delivery count 3: one more unsettled").isEqualTo(1);
    assertThat(q.reschedule(third, Duration.ZERO, 3, "TRANSIENT")).isTrue();
    Delivery fresh = q.claim("w", 1, LEASE).get(0);
    assertThat(fresh.interrupted()).isFalse();
    assertThat(fresh.attempts()).isEqualTo(3);
  }

  @Test
  void hostileStreamEntriesAndSetMembersNeverStopTheRest() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("good"), clock.instant(), "good");
    String stale = RedisDeliveryQueueContractTest.hashOf("stale");
    q.schedule(TO, Activity.message("stale"), clock.instant().plusSeconds(3600), "stale");
    // entries nobody wrote through the queue
    single.xgroupCreate(q.streamKey(), q.group(), new StreamEntryID(0, 0), true);
    XAddParams any = XAddParams.xAddParams();
    single.xadd(q.streamKey(), any, Map.of("x", "no k field"));
    single.xadd(q.streamKey(), any, Map.of("k", "no-such-hash"));
    single.xadd(q.streamKey(), any, Map.of("k", "y".repeat(5000)));
    single.xadd(q.streamKey(), any, Map.of("k", stale)); // not its current entry, not due
    single.xadd(q.streamKey(), any, Map.of("k", "../../{other}:x", "junk", "\u0000\uFFFF"));
    // members without a delivery, or of one that is not pending
    single.zadd(q.dueKey(), 0, "missing");
    single.zadd(q.leasesKey(), 0, "missing-lease");
    single.zadd(q.leasesKey(), 0, stale); // pending, held by nobody
    single.hset(
        q.deliveryKey("hostile"), Map.of("s", "PENDING", "t", "tok", "lu", "x", "e", "1-1"));
    single.zadd(q.leasesKey(), 0, "hostile");

    List<Delivery> claimed = q.claim("w", 10, LEASE);
    assertThat(claimed).extracting(Delivery::deliveryKey).contains("good").doesNotContain("stale");
    for (Delivery d : claimed) {
      if (d.deliveryKey().equals("good")) {
        assertThat(q.complete(d, DeliveryState.DELIVERED, 1, "ok", "a")).isTrue();
      }
    }
    assertThat(q.claim("w", 10, LEASE)).isEmpty();
    assertThat(single.xpending(q.streamKey(), q.group()).getTotal())
        .as("no hostile entry stays pending")
        .isZero();
    assertThat(q.status("stale").orElseThrow().state()).isEqualTo(DeliveryState.PENDING);
    assertThat(q.status("good").orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
    clock.advance(Duration.ofHours(2));
    assertThat(q.claim("w", 10, LEASE)).extracting(Delivery::deliveryKey).containsExactly("stale");
  }

  @Test
  void aHashNamingAnotherDeliverysEntryDoesNotStrandIt() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("first"), clock.instant().minusSeconds(10), "first");
    q.schedule(TO, Activity.message("good"), clock.instant(), "good");
    Delivery first = q.claim("w", 1, LEASE).get(0); // both moved into the stream, "good" unread
    assertThat(first.deliveryKey()).isEqualTo("first");
    String goodEntry =
        single.hget(q.deliveryKey(RedisDeliveryQueueContractTest.hashOf("good")), "e");
    assertThat(goodEntry).isNotNull();
    single.hset(q.deliveryKey("hostile"), Map.of("s", "PENDING", "e", goodEntry));
    single.zadd(q.dueKey(), 0, "hostile");
    List<Delivery> next = q.claim("w", 10, LEASE);
    assertThat(next).extracting(Delivery::deliveryKey).containsExactly("good");
    assertThat(q.complete(first, DeliveryState.DELIVERED, 1, "ok", "a")).isTrue();
    assertThat(q.complete(next.get(0), DeliveryState.DELIVERED, 1, "ok", "b")).isTrue();
    assertThat(single.xpending(q.streamKey(), q.group()).getTotal()).isZero();
  }

  @Test
  void aDeletedStreamOrGroupIsCreatedAgain() {
    RedisDeliveryQueue q = queue(single);
    q.schedule(TO, Activity.message("a"), clock.instant(), "a");
    q.claim("w", 1, LEASE);
    single.del(q.streamKey());
    q.schedule(TO, Activity.message("b"), clock.instant(), "b");
    assertThat(q.claim("w", 5, LEASE)).extracting(Delivery::deliveryKey).containsExactly("b");
  }

  @Test
  void namesAreValidated() {
    var b = RedisDeliveryQueue.builder(single);
    for (String bad : List.of("", "a{b}", "x".repeat(65), "a b", "\u00e9")) {
      assertThatThrownBy(() -> b.keyPrefix(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.group(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> b.deadLetterLength(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.build().toString())
        .isEqualTo("RedisDeliveryQueue[keys {beckon-deliveries}:*]")
        .doesNotContain("127.0.0.1");
  }
}
