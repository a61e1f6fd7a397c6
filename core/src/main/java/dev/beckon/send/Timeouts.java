package dev.beckon.send;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a send may take.
 *
 * @param connect to open a connection (default 5 s)
 * @param response to receive a response once the request is sent (default 30 s)
 * @param overall for the whole send including retries and waiting (default 60 s)
 */
public record Timeouts(Duration connect, Duration response, Duration overall) {

  /** Validates. */
  public Timeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(overall, "overall");
    if (connect.isNegative() || connect.isZero() || response.isNegative() || response.isZero()
        || overall.compareTo(response) < 0) {
      throw new IllegalArgumentException("timeouts must be positive and overall >= response: " + this);
    }
  }

  /**
   * 5 s connect, 30 s response, 60 s overall.
   *
   * @return the defaults
   */
  public static Timeouts defaults() {
    return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }
}
