package dev.beckon.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import java.io.IOException;
import java.time.Duration;

/**
 * One worker JVM of {@link DeliveryKillStormProcessTest}: a {@link DeliveryWorker} on PostgreSQL
 * until its standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: JDBC URL, reference table, queue table, service URL, worker name.
 */
public final class DeliveryWorkerProcess {

  private DeliveryWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args URL, reference table, queue table, service URL, name
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername(
        TestDatabases.setting("beckon.postgres.user", "BECKON_POSTGRES_USER", "postgres"));
    config.setPassword(
        TestDatabases.setting("beckon.postgres.password", "BECKON_POSTGRES_PASSWORD", ""));
    config.setMaximumPoolSize(6);
    try (HikariDataSource ds = new HikariDataSource(config);
        BotConnectorSender sender =
            BotConnectorSender.builder()
                .anonymous()
                .timeouts(
                    new Timeouts(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .maxConnections(32)
                .build()) {
      JdbcReferenceRepository references =
          JdbcReferenceRepository.builder(ds)
              .tableName(args[1])
              .dialect(Dialect.POSTGRESQL)
              .build();
      JdbcDeliveryQueue queue =
          JdbcDeliveryQueue.builder(ds).tableName(args[2]).dialect(Dialect.POSTGRESQL).build();
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
