package dev.beckon.delivery.spi;

import java.util.Objects;

/**
 * A row a backend claimed.
 *
 * @param row the row as it was before the claim (its {@code leaseToken} is the expired claim's, if
 *     any)
 * @param token the token the row is held by now
 * @param interrupted whether the row was held by an earlier claim whose lease expired unsettled
 */
public record ClaimedRow(QueueRow row, String token, boolean interrupted) {

  /**
   * Requires both.
   *
   * @param row the row as it was before the claim
   * @param token the token it is held by now
   * @param interrupted whether an earlier claim expired unsettled
   */
  public ClaimedRow {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(token, "token");
  }
}
