package dev.beckon.store.spi;

import dev.beckon.store.Segment;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, as the base class asks a store for it.
 *
 * <p>The store returns at most {@link #limit()} rows after {@link #position()} in its own stable
 * order, and the position to continue from when there may be more. It should apply the filters when
 * its backend can (an index, a {@code WHERE}); the base class applies them again, along with
 * expiry, so a store that cannot filter is still correct, only slower. Every row that exists for
 * the whole listing must be returned exactly once across pages, whatever else is written.
 *
 * @param position where to continue, as the store's previous {@link ScanResult#nextPosition()}
 *     returned it, or {@code null} for the start; it arrives from a cursor that passed the base
 *     class's checks, but parse it strictly and raise {@link StoreErrors#badCursor(String)} if it
 *     is not one of yours
 * @param limit the most rows to return, 1 to {@link dev.beckon.store.ListQuery#MAX_PAGE_SIZE}
 * @param channelId only rows of this channel, or {@code null} for every channel
 * @param tenantId only rows of this tenant, or {@code null} for every tenant
 * @param segment only rows of this segment, or {@code null} for all
 * @param nowMillis the time of the listing by the repository's clock: rows that expired at or
 *     before it may be skipped
 */
public record Scan(
    @Nullable String position,
    int limit,
    @Nullable String channelId,
    @Nullable String tenantId,
    @Nullable Segment segment,
    long nowMillis) {
  /**
   * The position as a key hash, for a store that pages in key-hash order (keyset paging) and
   * returns {@link ScanResult#keyset}.
   *
   * @return the key hash the page starts after, or {@code null} for the start
   * @throws IllegalArgumentException when the position is not a key hash ({@link
   *     StoreErrors#badCursor(String)})
   */
  public @Nullable String afterKeyHash() {
    if (position != null && !StoreKeys.isKeyHash(position)) {
      throw StoreErrors.badCursor("its position is not a key hash");
    }
    return position;
  }
}
