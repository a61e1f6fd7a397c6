package dev.beckon.storage.redis;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import dev.beckon.testkit.KillStorm;
import java.io.IOException;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * One worker JVM of {@link RedisDeliveryKillStormProcessTest}: a {@link DeliveryWorker} on a Redis
 * Streams queue, paced by the fleet-wide {@link RedisTokenBuckets} limiter at {@link
 * KillStorm#LIMITS}, until its standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: topology ({@code SINGLE} or {@code CLUSTER}), reference prefix, queue prefix,
 * limiter prefix, service URL, name.
 */
public final class RedisDeliveryWorkerProcess {

  private RedisDeliveryWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args topology, reference prefix, queue prefix, limiter prefix, service URL, name
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    UnifiedJedis redis = RedisTopology.valueOf(args[0]).client();
    try (BotConnectorSender sender =
        BotConnectorSender.builder()
            .anonymous()
            .timeouts(
                new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))
            .maxConnections(32)
            .build()) {
      RedisReferenceRepository references =
          RedisReferenceRepository.builder(redis).keyPrefix(args[1]).build();
      RedisDeliveryQueue queue = RedisDeliveryQueue.builder(redis).keyPrefix(args[2]).build();
      DeliveryWorker worker =
          DeliveryWorker.builder(queue, references, KillStorm.recording(sender, args[5]))
              .name(args[5])
              .concurrency(16)
              .lease(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .retry(KillStorm.WORKER_RETRY)
              .limiter(
                  SendLimiter.fleet(
                      RedisTokenBuckets.over(redis), args[3], KillStorm.LIMITS, KillStorm.HEADROOM))
              .build()
              .start();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      worker.stop(Duration.ofSeconds(10));
    }
  }
}
