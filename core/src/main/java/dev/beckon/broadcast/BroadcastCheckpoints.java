package dev.beckon.broadcast;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a broadcast records its progress so that a run that died can be resumed without re-sending
 * what was already delivered. One broadcast id may have several partitions (one per {@link
 * dev.beckon.store.Segment} worker).
 *
 * <p>Pages of a partition's listing are numbered from 0. The broadcast calls {@link #recordOutcome}
 * as each reference finishes (with the number of its page) and {@link #commitCursor} when every
 * page up to a number has finished; after a commit, outcomes of pages up to that number are no
 * longer needed (pages finish out of order, so outcomes of later pages may be recorded before the
 * commit of earlier ones). Implementations must be thread-safe and durable enough for the failures
 * they are meant to survive (a file survives a killed process). {@link Checkpoints} provides one in
 * memory and one in files.
 */
public interface BroadcastCheckpoints extends AutoCloseable {

  /**
   * Where to resume a partition.
   *
   * @param cursor listing cursor to continue from, or {@code null} to start at the beginning
   * @param nextPage the number of the page that {@code cursor} starts
   * @param finishedKeyHashes {@link dev.beckon.reference.ReferenceKey#hash()} of references after
   *     the cursor that already have a final outcome (delivered, gone or failed: not sent again;
   *     only references skipped by a cancellation, or never reached, are sent on resume)
   * @param finished whether the partition already completed
   */
  record Resume(
      @Nullable String cursor, long nextPage, Set<String> finishedKeyHashes, boolean finished) {
    /**
     * Freezes the set.
     *
     * @param cursor listing cursor to continue from, or {@code null} to start at the beginning
     * @param nextPage the number of the page that {@code cursor} starts
     * @param finishedKeyHashes {@link dev.beckon.reference.ReferenceKey#hash()} of references after
     *     the cursor that already have a final outcome (delivered, gone or failed: not sent again;
     *     only references skipped by a cancellation, or never reached, are sent on resume)
     * @param finished whether the partition already completed
     */
    public Resume {
      finishedKeyHashes = Set.copyOf(finishedKeyHashes);
    }
  }

  /**
   * Loads the resume point of a partition; a partition never seen starts at the beginning.
   *
   * @param broadcastId the broadcast
   * @param partition the partition, e.g. {@code "2-of-4"}
   * @return where to resume
   */
  Resume load(String broadcastId, String partition);

  /**
   * Records a final outcome.
   *
   * @param broadcastId the broadcast
   * @param partition the partition
   * @param page the number of the page the reference was listed on
   * @param outcome the outcome
   */
  void recordOutcome(String broadcastId, String partition, long page, BroadcastOutcome outcome);

  /**
   * Records that every reference on pages up to {@code page} finished.
   *
   * @param broadcastId the broadcast
   * @param partition the partition
   * @param page the number of the last finished page
   * @param cursor the listing cursor after the finished pages, or {@code null} with {@code
   *     finished} at the end
   * @param finished whether the whole partition finished
   */
  void commitCursor(
      String broadcastId, String partition, long page, @Nullable String cursor, boolean finished);

  /** Releases files or connections; the default does nothing. */
  @Override
  default void close() {}
}
