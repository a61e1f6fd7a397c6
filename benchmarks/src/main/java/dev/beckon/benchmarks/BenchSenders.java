package dev.beckon.benchmarks;

import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;

/**
 * The one place the benchmarks build a {@link BotConnectorSender}: anonymous (the loopback
 * connector checks no token), no retries (every post succeeds; a retry would not be measured
 * against the raw client's single post). When the retry model changes, only this class changes.
 */
final class BenchSenders {

  private BenchSenders() {}

  /**
   * A sender without retries.
   *
   * @param maxConnections the connection pool's size (the concurrency measured)
   * @return the sender; the caller closes it
   */
  static BotConnectorSender withoutRetries(int maxConnections) {
    return BotConnectorSender.builder()
        .anonymous()
        .maxConnections(maxConnections)
        .retry(RetryStrategy.none())
        .build();
  }
}
