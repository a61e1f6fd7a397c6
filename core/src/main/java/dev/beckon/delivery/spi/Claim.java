package dev.beckon.delivery.spi;

import java.util.Objects;

/**
 * What {@link AbstractDeliveryQueue#claimRows} asks of a backend: up to {@code limit} rows in state
 * {@code PENDING}, due ({@code notBefore <= nowMillis}) and not held ({@code leaseToken} null, or
 * {@code leaseUntil <= nowMillis}), oldest {@code notBefore} first; each taken atomically so that
 * no two claims get the same row while its lease lasts, and given {@code token} and {@code
 * leaseUntilMillis}.
 *
 * @param nowMillis the queue's time, epoch ms
 * @param limit at most this many rows, 1 or more
 * @param leaseUntilMillis the new lease's end, epoch ms
 * @param token the new claim's token (24 hex characters); a backend with tokens of its own (a
 *     stream entry id, a receipt handle) may return those instead in {@link ClaimedRow#token()}
 */
public record Claim(long nowMillis, int limit, long leaseUntilMillis, String token) {

  /**
   * Validates.
   *
   * @param nowMillis the queue's time
   * @param limit at most this many rows
   * @param leaseUntilMillis the new lease's end
   * @param token the new claim's token
   */
  public Claim {
    Objects.requireNonNull(token, "token");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
  }
}
