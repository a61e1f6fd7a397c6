package dev.beckon.storage.redis;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.testkit.DeliveryQueueContract;
import dev.beckon.testkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The queue contract kit on the single Redis (127.0.0.1:6379) and on the 3-master Redis Cluster
 * (127.0.0.1:7101-7103), a fresh key prefix (and so a fresh cluster slot) per queue.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTopology.class)
class RedisDeliveryQueueContractTest extends DeliveryQueueContract {

  private final UnifiedJedis client;
  private final List<String> tags = new ArrayList<>();

  RedisDeliveryQueueContractTest(RedisTopology topology) {
    this.client = topology.client();
  }

  @Override
  protected DeliveryQueue createQueue(MutableClock clock) {
    RedisDeliveryQueue q =
        RedisDeliveryQueue.builder(client)
            .keyPrefix("beckon-q-" + UUID.randomUUID().toString().substring(0, 12))
            .clock(clock)
            .build();
    tags.add(q.hashTag());
    return q;
  }

  /**
   * 200 instead of 400: as the JDBC run; the races show at 200, and the cluster run stays short.
   */
  @Override
  protected int racingDeliveries() {
    return 200;
  }

  @Override
  protected void writeRaw(DeliveryQueue queue, QueueRow row) {
    writeRawRow(client, (RedisDeliveryQueue) queue, row);
  }

  /**
   * Stores a row as given: its hash, and its key hash in the due set, the listing index and (when
   * it is pending) the pending set.
   */
  static void writeRawRow(UnifiedJedis client, RedisDeliveryQueue q, QueueRow row) {
    client.hset(q.deliveryKey(row.keyHash()), RedisDeliveryQueue.fields(row));
    client.zadd(q.dueKey(), (double) row.notBefore(), row.keyHash());
    client.zadd(q.allKey(), 0, row.keyHash());
    if ("PENDING".equals(row.state())) {
      client.zadd(q.pendingKey(), (double) row.notBefore(), row.keyHash());
    }
  }

  /** The key hash of a delivery key, for the other tests of this package. */
  static String hashOf(String deliveryKey) {
    return keyHashOf(deliveryKey);
  }

  @AfterEach
  void dropKeys() {
    for (String t : tags) {
      RedisTopology.deleteTag(client, t);
    }
    tags.clear();
  }
}
