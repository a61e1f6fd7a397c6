package dev.beckon.storage.jdbc;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.testkit.KillStorm;
import java.io.IOException;
import java.time.Duration;

/**
 * One worker JVM of {@link DeliveryKillStormProcessTest}: a {@link DeliveryWorker} on one database,
 * paced by the fleet-wide {@link JdbcTokenBuckets} limiter at {@link KillStorm#LIMITS}, until its
 * standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: dialect, reference table, queue table, bucket table, limiter prefix, service URL,
 * worker name. The database settings are {@link TestDatabases}'.
 */
public final class DeliveryWorkerProcess {

  private DeliveryWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args dialect, reference table, queue table, bucket table, prefix, service URL, name
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    Dialect dialect = Dialect.valueOf(args[0]);
    try (BotConnectorSender sender =
        BotConnectorSender.builder()
            .anonymous()
            .timeouts(
                new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))
            .maxConnections(32)
            .build()) {
      var ds = TestDatabases.dataSource(dialect);
      JdbcReferenceRepository references =
          JdbcReferenceRepository.builder(ds).tableName(args[1]).dialect(dialect).build();
      JdbcDeliveryQueue queue =
          JdbcDeliveryQueue.builder(ds).tableName(args[2]).dialect(dialect).build();
      JdbcTokenBuckets buckets =
          JdbcTokenBuckets.builder(ds).tableName(args[3]).dialect(dialect).build();
      DeliveryWorker worker =
          DeliveryWorker.builder(queue, references, KillStorm.recording(sender, args[6]))
              .name(args[6])
              .concurrency(16)
              .lease(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .retry(KillStorm.WORKER_RETRY)
              .limiter(SendLimiter.fleet(buckets, args[4], KillStorm.LIMITS, KillStorm.HEADROOM))
              .build()
              .start();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      worker.stop(Duration.ofSeconds(10));
    }
  }
}
