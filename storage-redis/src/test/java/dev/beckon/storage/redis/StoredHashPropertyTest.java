package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import dev.beckon.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import redis.clients.jedis.UnifiedJedis;

/**
 * A stored delivery hash is hostile input: whatever fields it has, reading it never raises, and a
 * claim beside it still hands out the good delivery and only valid ones.
 */
class StoredHashPropertyTest {

  private static final List<String> FIELDS =
      List.of("k", "ch", "cv", "p", "s", "a", "nb", "fd", "ca", "ua", "t", "lu", "o", "ai", "e");

  @Provide
  Arbitrary<String> value() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().all().ofMaxLength(10),
        Arbitraries.longs().map(l -> Long.toString(l)),
        Arbitraries.of("", "PENDING", "-1", "9".repeat(25), "1e9", "{\"type\":\"message\"}", "{"));
  }

  @Provide
  Arbitrary<Map<String, String>> hash() {
    return Arbitraries.maps(
            Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(3)),
            value())
        .ofMaxSize(16);
  }

  @Property(tries = 1000)
  void parsingNeverRaises(@ForAll("hash") Map<String, String> fields) {
    QueueRow r = RedisDeliveryQueue.parseRow("h", fields);
    assertThat(r.keyHash()).isEqualTo("h");
    assertThat(r.attempts()).isNotNegative();
    assertThat(r.state()).isNotNull();
  }

  @Property(tries = 60)
  void aHostileHashNeverStopsTheGoodOne(@ForAll("hash") Map<String, String> fields) {
    UnifiedJedis redis = RedisTopology.SINGLE.client();
    MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
    RedisDeliveryQueue q =
        RedisDeliveryQueue.builder(redis)
            .keyPrefix("beckon-qp-" + UUID.randomUUID().toString().substring(0, 12))
            .clock(clock)
            .build();
    try {
      q.schedule(
          ReferenceKey.of("msteams", "good"), Activity.message("hi"), clock.instant(), "good");
      String hash = RedisDeliveryQueueContractTest.hashOf("bad");
      Map<String, String> f = new java.util.HashMap<>(fields);
      f.put("s", "PENDING");
      f.remove("e");
      redis.hset(q.deliveryKey(hash), f);
      redis.zadd(q.dueKey(), 0, hash);
      if (fields.containsKey("t")) {
        redis.zadd(q.leasesKey(), 0, hash);
      }
      List<Delivery> claimed = q.claim("w", 10, Duration.ofMinutes(1));
      assertThat(claimed).extracting(Delivery::deliveryKey).contains("good");
      for (Delivery d : claimed) {
        assertThat(d.attempts()).isNotNegative();
        assertThat(q.complete(d, DeliveryState.DELIVERED, d.attempts() + 1, "ok", "a")).isTrue();
      }
      try {
        q.status("bad");
      } catch (StoreException expected) {
        // documented: an unreadable row
      }
      clock.advance(Duration.ofHours(1));
      assertThat(q.claim("w", 10, Duration.ofMinutes(1))).isEmpty();
    } finally {
      RedisTopology.deleteTag(redis, q.hashTag());
    }
  }
}
