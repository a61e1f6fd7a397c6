package dev.beckon.store.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a store's scan returned.
 *
 * @param rows at most the scan's limit of rows, in the store's order
 * @param nextPosition where the next page starts, or {@code null} when the scan is complete; any
 *     string of at most {@link #MAX_POSITION_LENGTH} characters, which the base class seals into
 *     the opaque cursor
 */
public record ScanResult(List<StoredRow> rows, @Nullable String nextPosition) {

  /** The longest position a store may return: 2,048 characters. */
  public static final int MAX_POSITION_LENGTH = 2048;

  /**
   * Freezes the rows.
   *
   * @param rows at most the scan's limit of rows, in the store's order
   * @param nextPosition where the next page starts, or {@code null} when the scan is complete
   */
  public ScanResult {
    rows = List.copyOf(rows);
    if (nextPosition != null && nextPosition.length() > MAX_POSITION_LENGTH) {
      throw new IllegalArgumentException(
          "a scan position is at most " + MAX_POSITION_LENGTH + " characters");
    }
  }

  /**
   * A page of a keyset listing: the store read one row more than the limit, in key-hash order, to
   * learn whether there are more; the next page starts after the last row returned.
   *
   * @param rows up to {@code limit + 1} rows, in key-hash order
   * @param limit the scan's limit
   * @return the page
   */
  public static ScanResult keyset(List<StoredRow> rows, int limit) {
    return rows.size() <= limit
        ? new ScanResult(rows, null)
        : new ScanResult(rows.subList(0, limit), rows.get(limit - 1).keyHash());
  }
}
