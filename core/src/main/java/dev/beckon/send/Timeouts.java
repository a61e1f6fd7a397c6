package dev.beckon.send;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a send may take.
 *
 * @param connect to open a connection (default 5 s)
 * @param response the longest one attempt may take, from its start to the end of its response; also
 *     the longest a connection may stay silent (default 30 s)
 * @param overall the longest the whole send may take, every attempt, token fetch and backoff
 *     included (default 60 s): the outcome arrives by then (within a fraction of a second). An
 *     attempt still running at that deadline is cancelled and its connection closed; the outcome is
 *     then {@link SendOutcome.Kind#UNKNOWN} for a POST that may have been sent, otherwise {@link
 *     SendOutcome.Kind#FAILED}, with error code {@code Timeout}
 */
public record Timeouts(Duration connect, Duration response, Duration overall) {

  /**
   * Validates.
   *
   * @param connect to open a connection (default 5 s)
   * @param response the longest one attempt may take, from its start to the end of its response;
   *     also the longest a connection may stay silent (default 30 s)
   * @param overall the longest the whole send may take, every attempt, token fetch and backoff
   *     included (default 60 s): the outcome arrives by then (within a fraction of a second). An
   *     attempt still running at that deadline is cancelled and its connection closed; the outcome
   *     is then {@link SendOutcome.Kind#UNKNOWN} for a POST that may have been sent, otherwise
   *     {@link SendOutcome.Kind#FAILED}, with error code {@code Timeout}
   */
  public Timeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(overall, "overall");
    if (connect.isNegative()
        || connect.isZero()
        || response.isNegative()
        || response.isZero()
        || overall.compareTo(response) < 0) {
      throw new IllegalArgumentException(
          "timeouts must be positive and overall >= response: " + this);
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
