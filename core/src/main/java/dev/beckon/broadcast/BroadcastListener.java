package dev.beckon.broadcast;

/**
 * Receives a broadcast's per-reference outcomes and progress. Called from the broadcast's
 * threads: implementations must be thread-safe and quick. Exceptions they throw are logged and
 * ignored.
 */
public interface BroadcastListener {

  /**
   * One reference reached its final outcome. Called exactly once per reference listed.
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
