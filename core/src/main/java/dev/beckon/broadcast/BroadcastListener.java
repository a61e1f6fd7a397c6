package dev.beckon.broadcast;

/**
 * Receives a broadcast's per-reference outcomes and progress. Called from the broadcast's threads:
 * implementations must be thread-safe and quick. Exceptions they throw are logged and ignored.
 */
public interface BroadcastListener {

  /**
   * One reference reached its final outcome. Called exactly once per reference listed. A stored row
   * that cannot be read is a {@code FAILED} outcome with the reason "stored reference unreadable:
   * …"; only when even its key cannot be read is it counted as failed without an outcome (and
   * logged with its key hash).
   *
   * @param outcome the outcome
   */
  default void onOutcome(BroadcastOutcome outcome) {}

  /**
   * Periodic progress (about once a second, and once at the end).
   *
   * @param progress the snapshot
   */
  default void onProgress(BroadcastProgress progress) {}
}
