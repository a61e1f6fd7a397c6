package dev.beckon.delivery.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change to one row that a backend applies atomically, and only if its condition holds: the row
 * exists and either is held by {@link #expectedToken()} (settling a claim), or, when that is {@code
 * null}, is in one of {@link #expectedStates()} and not held by a live lease ({@code leaseToken}
 * null or {@code leaseUntil <= nowMillis}). An applied update always clears the lease ({@code
 * leaseToken} null, {@code leaseUntil} 0).
 *
 * @param keyHash the row's key
 * @param expectedToken the claim token the row must be held by, or {@code null}
 * @param expectedStates the states the row must be in when there is no token (1 or 2 names)
 * @param nowMillis the queue's time, epoch ms
 * @param state the new state's name
 * @param attempts the new attempt count, or {@link #KEEP_ATTEMPTS} to keep the stored one
 * @param notBefore the new due time, epoch ms
 * @param lastOutcome the new last outcome, or {@code null} to keep the stored one
 * @param activityId the new activity id, or {@code null} to keep the stored one
 */
public record RowUpdate(
    String keyHash,
    @Nullable String expectedToken,
    java.util.List<String> expectedStates,
    long nowMillis,
    String state,
    int attempts,
    long notBefore,
    @Nullable String lastOutcome,
    @Nullable String activityId) {

  /** The {@link #attempts()} that keeps the stored count. */
  public static final int KEEP_ATTEMPTS = -1;

  /**
   * Validates.
   *
   * @param keyHash the row's key
   * @param expectedToken the claim token, or {@code null}
   * @param expectedStates the states required without a token
   * @param nowMillis the queue's time
   * @param state the new state
   * @param attempts the new attempt count
   * @param notBefore the new due time
   * @param lastOutcome the new last outcome, or {@code null}
   * @param activityId the new activity id, or {@code null}
   */
  public RowUpdate {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(state, "state");
    expectedStates = java.util.List.copyOf(expectedStates);
    if (expectedToken == null && expectedStates.isEmpty()) {
      throw new IllegalArgumentException("an update needs a token or the states it may change");
    }
  }

  /**
   * Whether a stored row meets this update's condition; for backends that check it in code (the
   * in-memory queue, a compare-and-set loop).
   *
   * @param row the stored row
   * @return true when the update may apply
   */
  public boolean appliesTo(QueueRow row) {
    if (expectedToken != null) {
      return expectedToken.equals(row.leaseToken());
    }
    boolean free = row.leaseToken() == null || row.leaseUntil() <= nowMillis;
    return free && expectedStates.contains(row.state());
  }
}
