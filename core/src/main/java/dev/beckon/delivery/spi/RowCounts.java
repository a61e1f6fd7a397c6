package dev.beckon.delivery.spi;

/**
 * What {@link AbstractDeliveryQueue#countRows(long)} counts.
 *
 * @param pending rows {@code PENDING}
 * @param dead rows {@code DEAD}
 * @param oldestDueMillis the smallest {@code notBefore} of the pending rows due and not held by a
 *     live lease, epoch ms, or {@link Long#MAX_VALUE} when there is none
 */
public record RowCounts(long pending, long dead, long oldestDueMillis) {

  /** No rows: nothing pending, nothing dead, none waiting. */
  public static final RowCounts EMPTY = new RowCounts(0, 0, Long.MAX_VALUE);
}
