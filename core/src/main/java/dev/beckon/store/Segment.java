package dev.beckon.store;

import dev.beckon.reference.ReferenceKey;

/**
 * One of {@code count} disjoint parts of a listing, so that {@code count} workers can share one
 * broadcast: every reference belongs to exactly one segment of a given count.
 *
 * <p>The default assignment is {@code key.bucket() % count == index} ({@link
 * #contains(ReferenceKey)}); a store may use a native split instead (e.g. DynamoDB's parallel scan)
 * as long as segments of one count are disjoint, cover everything, and are stable for an unchanged
 * data set.
 *
 * @param index which part, {@code 0 <= index < count}
 * @param count how many parts, {@code 1 <= count <=} {@value #MAX_COUNT}
 */
public record Segment(int index, int count) {

  /** The largest number of segments a listing can be split into. */
  public static final int MAX_COUNT = 1024;

  /**
   * Validates the bounds.
   *
   * @param index which part, {@code 0 <= index < count}
   * @param count how many parts, {@code 1 <= count <=} {@value #MAX_COUNT}
   */
  public Segment {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "segment count must be between 1 and " + MAX_COUNT + " but was " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "segment index must be between 0 and " + (count - 1) + " but was " + index);
    }
  }

  /**
   * Creates a segment.
   *
   * @param index which part
   * @param count how many parts
   * @return the segment
   */
  public static Segment of(int index, int count) {
    return new Segment(index, count);
  }

  /**
   * Whether a key belongs to this segment under the default assignment.
   *
   * @param key the key
   * @return {@code key.bucket() % count == index}
   */
  public boolean contains(ReferenceKey key) {
    return key.bucket() % count == index;
  }
}
