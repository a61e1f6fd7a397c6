package dev.beckon.storage.redis;

import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import java.io.IOException;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * One worker JVM of {@link RedisDeliveryKillStormProcessTest}: a {@link DeliveryWorker} on the
 * Redis queue until its standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: Redis port, reference prefix, queue prefix, service URL, worker name.
 */
public final class RedisDeliveryWorkerProcess {

  private RedisDeliveryWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args port, reference prefix, queue prefix, service URL, name
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    try (RedisClient redis = RedisClient.create("127.0.0.1", Integer.parseInt(args[0]));
        BotConnectorSender sender =
            BotConnectorSender.builder()
                .anonymous()
                .timeouts(
                    new Timeouts(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .maxConnections(32)
                .build()) {
      RedisReferenceRepository references =
          RedisReferenceRepository.builder(redis).keyPrefix(args[1]).build();
      RedisDeliveryQueue queue = RedisDeliveryQueue.builder(redis).keyPrefix(args[2]).build();
      DeliveryWorker worker =
          DeliveryWorker.builder(queue, references, sender)
              .name(args[4])
              .concurrency(16)
              .lease(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .retry(
                  RetryStrategy.builder()
                      .maxAttempts(20)
                      .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))
                      .throttlingBackoff(
                          Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2)))
                      .maxRetryAfter(Duration.ofSeconds(5))
                      .deadline(Duration.ofMinutes(5))
                      .build())
              .build()
              .start();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      worker.stop(Duration.ofSeconds(10));
    }
  }
}
