package dev.beckon.broadcast;

import java.util.concurrent.CompletableFuture;

/**
 * A running broadcast (or one segment of it): its progress, a way to stop it, and its report.
 * Thread-safe.
 */
public final class BroadcastRun {

  private final BroadcastRunner runner;
  private final CompletableFuture<BroadcastReport> report;

  BroadcastRun(BroadcastRunner runner, CompletableFuture<BroadcastReport> report) {
    this.runner = runner;
    this.report = report;
  }

  /**
   * The final report, completed when every listed reference has an outcome. Completes exceptionally
   * with a {@link dev.beckon.store.StoreException} if listing failed (every reference listed until
   * then still has its outcome; resume with the same id).
   *
   * @return the report's future
   */
  public CompletableFuture<BroadcastReport> report() {
    return report;
  }

  /**
   * Waits for the report.
   *
   * @return the report
   */
  public BroadcastReport join() {
    return report.join();
  }

  /**
   * Stops listing and sending; sends in flight finish, the rest of the page ends as SKIPPED, and a
   * later run with the same id and checkpoints sends what was skipped or never listed.
   */
  public void cancel() {
    runner.cancel();
  }

  /**
   * A progress snapshot.
   *
   * @return the snapshot
   */
  public BroadcastProgress progress() {
    return runner.progress();
  }
}
